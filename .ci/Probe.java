import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One probe of a running service for .ci/readme-commands (JDK only, run as {@code java Probe.java TOKEN [BASE_URL]}):
 * asks for the campaign list with the token, then for the report of the first campaign that has sent SMS; prints a
 * one-line summary and exits 0 when that report counts them, else exits 1 (not ready yet, or no traffic counted yet).
 */
public final class Probe {

    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SENT = Pattern.compile("\"sent\"\\s*:\\s*(\\d+)");

    public static void main(final String[] args) throws Exception {
        final String token = args[0];
        final String base = args.length > 1 ? args[1] : "http://127.0.0.1:8080";
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        final HttpResponse<String> list = get(http, base + "/api/v1/campaigns?limit=20", token);
        if (list.statusCode() != 200) {
            System.err.println("campaigns: " + list.statusCode());
            System.exit(1);
        }
        // The first campaign in the list that has sent SMS (a draft has none), then its own report.
        String messageId = null;
        for (final String item : list.body().split("(?=\"messageId\")")) {
            final Matcher id = MESSAGE_ID.matcher(item);
            final Matcher sent = SENT.matcher(item);
            if (id.find() && sent.find() && Long.parseLong(sent.group(1)) > 0) {
                messageId = id.group(1);
                break;
            }
        }
        if (messageId == null) {
            System.err.println("no campaign with sent SMS yet");
            System.exit(1);
        }
        final HttpResponse<String> report = get(http, base + "/api/v1/campaigns/" + messageId, token);
        final Matcher sent = SENT.matcher(report.body());
        if (report.statusCode() != 200 || !sent.find() || Long.parseLong(sent.group(1)) == 0) {
            System.err.println("campaign " + messageId + ": " + report.statusCode());
            System.exit(1);
        }
        System.out.println("GET /api/v1/campaigns/" + messageId + " -> 200, sent " + sent.group(1));
    }

    private static HttpResponse<String> get(final HttpClient http, final String url, final String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
