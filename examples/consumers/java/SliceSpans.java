// Slice Wirestream spans in Java: offsets are Unicode code points, Java strings are UTF-16.
//
//   java examples/consumers/java/SliceSpans.java spans.tsv
//
// spans.tsv (UTF-8): the first line is the article body, base64; every other line is
// "start<TAB>end<TAB>base64(text)". Prints how many spans matched with code-point slicing and how
// many a naive String.substring(start, end) would get wrong; exits 1 if any code-point slice
// differs from the span's text. (A JSON library would read the records themselves; this example
// keeps to the JDK.)
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

public class SliceSpans {
    /** The text between two code-point offsets. */
    static String slice(String text, int start, int end) {
        int from = text.offsetByCodePoints(0, start);
        int to = text.offsetByCodePoints(from, end - start);
        return text.substring(from, to);
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        String body = decode(lines.get(0));
        int matched = 0, naiveWrong = 0, failed = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split("\t");
            int start = Integer.parseInt(parts[0]), end = Integer.parseInt(parts[1]);
            String text = decode(parts[2]);
            if (slice(body, start, end).equals(text)) matched++; else failed++;
            if (end > body.length() || !body.substring(start, end).equals(text)) naiveWrong++;
        }
        System.out.println("matched " + matched + " naive_wrong " + naiveWrong + " failed " + failed);
        System.exit(failed == 0 ? 0 : 1);
    }
}
