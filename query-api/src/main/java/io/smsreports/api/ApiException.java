package io.smsreports.api;

/**
 * A request the API answers with an error: {@code {"error": ..., "detail": ...}} and the status. Never a
 * stack trace: the message is written for the caller.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final Integer retryAfterSeconds;

    public ApiException(final int status, final String error, final String detail, final Integer retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400, naming the parameter and what is wrong with it. */
    public static ApiException badParameter(final String parameter, final String detail) {
        return new ApiException(400, "bad parameter '" + parameter + "'", detail, null);
    }

    public static ApiException notFound(final String error, final String detail) {
        return new ApiException(404, error, detail, null);
    }

    /** 503 with {@code Retry-After}: the state is restoring, rebalancing, or its owner cannot be reached. */
    public static ApiException unavailable(final String detail) {
        return new ApiException(503, "temporarily unavailable", detail, 2);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
