package io.tracemark.attest.ledger;

import io.tracemark.contracts.Json;
import io.tracemark.edge.problem.Problem;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.Optional;

/** What a chain-node replica's answer other than 2xx means to {@link ChainNodeClient}. */
final class ReplicaAnswer {
    private ReplicaAnswer() {
    }

    /** The exception for a non-success answer: {@link NotThere} for 404 and 422, {@link Failed} otherwise. */
    static RuntimeException of(Response response) {
        int status = response.getStatus();
        if (status == 404 || status == 422) {
            return new NotThere(status, problem(response));
        }
        return new Failed(status);
    }

    /** The RFC 9457 body, if the replica sent one (the chain node does; a proxy in front of it may not). */
    private static Optional<Problem> problem(Response response) {
        try {
            byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : null;
            return body == null || body.length == 0 ? Optional.empty() : Optional.ofNullable(Json.MAPPER.readValue(body, Problem.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The replica does not have it (not sealed, not stamped, not witnessed yet): an answer, not a failure, so the
     * next replica is not asked. Without a stack trace: it is expected on every poll.
     */
    static final class NotThere extends RuntimeException {
        private final transient Optional<Problem> problem;

        NotThere(int status, Optional<Problem> problem) {
            super("chain node answered " + status, null, false, false);
            this.problem = problem;
        }

        /** The problem's type URI, or empty. */
        Optional<String> type() {
            return problem.map(Problem::type);
        }
    }

    /** The replica answered with an error status: the next replica is asked. */
    static final class Failed extends RuntimeException {
        Failed(int status) {
            super("chain node answered HTTP " + status, null, false, false);
        }
    }
}
