package io.smsreports.bench;

import io.smsreports.events.Campaign;
import io.smsreports.events.CampaignStatus;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.MessageType;
import io.smsreports.events.ReceiptStatus;
import io.smsreports.events.SendMethod;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.serde.AvroSerdeConfig;
import io.smsreports.serde.SpecificAvroDeserializer;
import io.smsreports.serde.SpecificAvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * JMH: nanoseconds to encode and decode one record of each schema with the Confluent-wire serde (magic byte,
 * schema id, Avro binary; the registry lookups cached, as on the hot path), against plain Avro binary with a
 * reused encoder and decoder and no header (the baseline).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {

    @Param({"Campaign", "SmsDispatched", "DeliveryReceipt", "SmsDelivered"})
    public String schema;

    private String topic;
    private SpecificRecord record;
    private SpecificAvroSerializer<SpecificRecord> serializer;
    private SpecificAvroDeserializer<SpecificRecord> deserializer;
    private byte[] wire;
    private SpecificDatumWriter<SpecificRecord> writer;
    private SpecificDatumReader<SpecificRecord> reader;
    private ByteArrayOutputStream out;
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;
    private byte[] plain;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() throws IOException {
        topic = "bench." + schema;
        record = record(schema);
        final Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://serde-bench");
        serializer = new SpecificAvroSerializer<>();
        serializer.configure(config, false);
        deserializer = new SpecificAvroDeserializer<>((Class<SpecificRecord>) record.getClass());
        deserializer.configure(config, false);
        wire = serializer.serialize(topic, record);
        writer = new SpecificDatumWriter<>(record.getSchema());
        reader = new SpecificDatumReader<>(record.getSchema());
        out = new ByteArrayOutputStream(512);
        plain = plainEncode();
    }

    @Benchmark
    public byte[] wireEncode() {
        return serializer.serialize(topic, record);
    }

    @Benchmark
    public Object wireDecode() {
        return deserializer.deserialize(topic, wire);
    }

    @Benchmark
    public byte[] plainEncode() throws IOException {
        out.reset();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Benchmark
    public Object plainDecode() throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(plain, decoder);
        return reader.read(null, decoder);
    }

    static SpecificRecord record(final String schema) {
        final Instant at = Instant.parse("2026-11-27T10:00:00Z");
        return switch (schema) {
            case "Campaign" -> Campaign.newBuilder().setMessageId("bf-flash-sale").setName("Black Friday Flash Sale")
                    .setMessageType(MessageType.CAMPAIGN).setText("BLACK FRIDAY: 50% off everything until midnight! https://ex.co/bf")
                    .setCreator("marketing@example.com").setMethod(SendMethod.BROADCAST).setStatus(CampaignStatus.SENDING)
                    .setCreatedAt(at).setStartedAt(at).setEndedAt(null).setTargetAudience(120_000).build();
            case "SmsDispatched" -> SmsDispatched.newBuilder().setSmsId("sms-1f3a9c-000042").setMessageId("bf-flash-sale")
                    .setMsisdn("+905551234567").setExternalId("cust-4711").setEmail("customer4711@example.com").setPlatform("android")
                    .setProvider("twilio").setCountry("TR").setOperator("286-01").setSegments(1).setDispatchedAt(at).build();
            case "DeliveryReceipt" -> DeliveryReceipt.newBuilder().setSmsId("sms-1f3a9c-000042").setProvider("twilio")
                    .setStatus(ReceiptStatus.UNDELIVERABLE).setProviderStatus("UNDELIV").setErrorCode("001")
                    .setFailReason("Absent subscriber").setDoneAt(at.plusSeconds(3)).setReceivedAt(at.plusSeconds(4)).build();
            case "SmsDelivered" -> SmsDelivered.newBuilder().setSmsId("sms-1f3a9c-000042").setMessageId("bf-flash-sale")
                    .setMsisdn("+905551234567").setExternalId("cust-4711").setEmail(null).setPlatform("android").setProvider("twilio")
                    .setDispatchedAt(at).setDeliveredAt(at.plusSeconds(3)).setLatencyMs(3_000).build();
            default -> throw new IllegalArgumentException("unknown schema " + schema);
        };
    }

    /** Runs the JMH benchmarks and writes the table. */
    public static void main(final String[] args) throws Exception {
        final Args options = Args.parse("serde", args);
        final Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(SerdeBenchmark.class.getName() + "\\.")
                .forks((int) options.number("forks", 2))
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .build()).run();
        final Map<String, Map<String, double[]>> bySchema = new TreeMap<>();
        for (final RunResult result : results) {
            final String benchmark = result.getParams().getBenchmark();
            final String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            bySchema.computeIfAbsent(result.getParams().getParam("schema"), s -> new TreeMap<>())
                    .put(method, new double[] {result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()});
        }
        final StringBuilder body = new StringBuilder("JMH, average time per record, 2 forks × 5 × 1 s after 3 × 1 s of warm-up "
                + "(± is JMH's 99.9 % error). Baseline: plain Avro binary, no header, reused encoder/decoder.\n\n"
                + "| schema | wire encode ns | plain encode ns | encode ratio | wire decode ns | plain decode ns | decode ratio |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        bySchema.forEach((schema, m) -> body.append(String.format(Locale.ROOT, "| %s | %.0f ± %.0f | %.0f ± %.0f | %.2f | %.0f ± %.0f | %.0f ± %.0f | %.2f |%n",
                schema, m.get("wireEncode")[0], m.get("wireEncode")[1], m.get("plainEncode")[0], m.get("plainEncode")[1],
                m.get("wireEncode")[0] / m.get("plainEncode")[0], m.get("wireDecode")[0], m.get("wireDecode")[1],
                m.get("plainDecode")[0], m.get("plainDecode")[1], m.get("wireDecode")[0] / m.get("plainDecode")[0])));
        Report.write(options.report(), "serde", options.command(), body.toString());
    }
}
