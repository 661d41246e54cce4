import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One probe of a running service for .ci/readme-commands (JDK only, run as {@code java Probe.java TOKEN [BASE_URL]}):
 * asks for the campaign list with the token, then for the first campaign's report; prints a one-line summary and
 * exits 0 when that report counts sent SMS, else exits 1 (not ready yet, or no traffic counted yet).
 */
public final class Probe {

    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SENT = Pattern.compile("\"sent\"\\s*:\\s*(\\d+)");

    public static void main(final String[] args) throws Exception {
        final String token = args[0];
        final String base = args.length > 1 ? args[1] : "http://127.0.0.1:8080";
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        final HttpResponse<String> list = get(http, base + "/api/v1/campaigns?limit=5", token);
        final Matcher id = MESSAGE_ID.matcher(list.body());
        if (list.statusCode() != 200 || !id.find()) {
            System.err.println("campaigns: " + list.statusCode());
            System.exit(1);
        }
        final HttpResponse<String> report = get(http, base + "/api/v1/campaigns/" + id.group(1), token);
        final Matcher sent = SENT.matcher(report.body());
        if (report.statusCode() != 200 || !sent.find() || Long.parseLong(sent.group(1)) == 0) {
            System.err.println("campaign " + id.group(1) + ": " + report.statusCode());
            System.exit(1);
        }
        System.out.println("GET /api/v1/campaigns/" + id.group(1) + " -> 200, sent " + sent.group(1));
    }

    private static HttpResponse<String> get(final HttpClient http, final String url, final String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
