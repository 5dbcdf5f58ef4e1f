package io.tracemark.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @TempDir
    Path dir;

    @Test
    void topicsAreIdempotentAndDataSurvivesARestart() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, 0)) {
            kafka.createTopics(TracemarkTopics.defaults());
            // A second call, as on every restart of the infra, must accept the existing topics.
            kafka.createTopics(TracemarkTopics.defaults());

            assertEquals("LogAppendTime", KafkaProbe.topicConfig(kafka.bootstrapServers(),
                    TracemarkTopics.CHAIN_BLOCKS).get("message.timestamp.type"));
            KafkaProbe.send(kafka.bootstrapServers(), TracemarkTopics.CHAIN_BLOCKS, "b1", "block-1");
        }

        // New ports on purpose: a restart must not depend on getting the old ones back.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, 0)) {
            kafka.createTopics(TracemarkTopics.defaults());
            List<ConsumerRecord<String, String>> records =
                    KafkaProbe.readAll(kafka.bootstrapServers(), TracemarkTopics.CHAIN_BLOCKS, 1);

            assertEquals(1, records.size());
            assertEquals("block-1", records.get(0).value());
            assertEquals(TimestampType.LOG_APPEND_TIME, records.get(0).timestampType());
        }
    }
}
