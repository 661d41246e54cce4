/**
 * <b>Domain layer</b> (no Kafka): masking personal data (MSISDNs, emails, quoted ids) for every log line that could
 * carry it.
 */
package io.smsreports.privacy;
