/** Per-client request rate limiting for public HTTP endpoints (token buckets, HTTP 429 Retry-After). */
package io.tracemark.edge.ratelimit;
