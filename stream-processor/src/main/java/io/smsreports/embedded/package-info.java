/**
 * <b>Wiring layer</b>: the single-node KRaft broker of the embedded mode (and of the integration tests).
 */
package io.smsreports.embedded;
