/**
 * <b>Domain layer</b>: replies and opt-outs (rule 17). An inbound message (MO) is attributed to the latest SMS sent to the
 * same msisdn before it, within the reply window; {@link io.smsreports.replies.ReplyLedger} keeps one msisdn's recent sends
 * and inbound messages and says, whatever order they came in, which campaign each reply belongs to and what the msisdn
 * adds to each campaign's replies and opt-outs. {@link io.smsreports.replies.StopKeywords} judges a reply's first word.
 * No Kafka here.
 */
package io.smsreports.replies;
