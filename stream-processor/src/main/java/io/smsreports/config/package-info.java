/**
 * <b>Wiring layer</b>: the processor&#39;s configuration, read from the environment and validated once ({@link
 * io.smsreports.config.ProcessorConfig}); it hands the topology its {@code TopologySettings}.
 */
package io.smsreports.config;
