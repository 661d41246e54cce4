/**
 * The single-node KRaft broker of the embedded mode (and of the integration tests): with the launcher, outside the
 * processor's compile scope.
 */
package io.smsreports.embedded;
