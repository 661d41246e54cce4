package io.smsreports.topology;

import io.smsreports.events.Campaign;
import io.smsreports.events.DeliveryAlert;
import io.smsreports.events.DeliveryReceipt;
import io.smsreports.events.SmsDelivered;
import io.smsreports.events.SmsDispatched;
import io.smsreports.events.SmsInbound;
import io.smsreports.events.SmsLinkClicked;
import io.smsreports.events.SmsNotSent;
import io.smsreports.registry.SchemaRegistryClient;
import io.smsreports.registry.SchemaRegistryClients;
import io.smsreports.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * The Confluent-wire Avro serdes of the public topics, sharing one registry client.
 */
public record EventSerdes(Serde<Campaign> campaigns, Serde<SmsDispatched> dispatches, Serde<DeliveryReceipt> receipts,
        Serde<SmsDelivered> delivered, Serde<DeliveryAlert> alerts, Serde<SmsNotSent> notSent, Serde<SmsLinkClicked> clicks,
        Serde<SmsInbound> inbound) {

    /** Serdes over a registry client; the schemas of {@code sms.delivered} and {@code sms.alerts} are registered on first use. */
    public static EventSerdes using(final SchemaRegistryClient client) {
        return new EventSerdes(new SpecificAvroSerde<>(Campaign.class, client, false),
                new SpecificAvroSerde<>(SmsDispatched.class, client, false),
                new SpecificAvroSerde<>(DeliveryReceipt.class, client, false),
                new SpecificAvroSerde<>(SmsDelivered.class, client, true),
                new SpecificAvroSerde<>(DeliveryAlert.class, client, true),
                new SpecificAvroSerde<>(SmsNotSent.class, client, false),
                new SpecificAvroSerde<>(SmsLinkClicked.class, client, false),
                new SpecificAvroSerde<>(SmsInbound.class, client, false));
    }

    /** Serdes configured from {@code schema.registry.url} and the other registry client settings. */
    public static EventSerdes fromConfig(final Map<String, ?> registryConfig) {
        return using(SchemaRegistryClients.create(registryConfig));
    }
}
