package io.smsreports.api.dto;

import java.util.List;

/** A page of items; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
