package io.smsreports.api.dto;

import java.time.Instant;

/**
 * How current a report is: {@code asOf}, the event time up to which the inputs feeding it are processed (every
 * campaign's SMS are spread over every input partition, so this is the earliest of the lifecycle tasks' processed times;
 * campaign figures follow within one aggregation interval), and {@code inputLag}, the input records not processed yet.
 */
public record Freshness(Instant asOf, long inputLag) {
}
