package dev.imagegallery.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's table of reasons names exactly the reasons the operator gives, each once. */
class ReasonsDocumentedTest {
    private static final Pattern REASON = Pattern.compile("`([A-Z][A-Za-z]+)`");

    @Test
    void theReadmeTableOfReasonsIsTheTypedSet() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("**Reasons.**"));
        table = table.substring(table.indexOf("| When |"), table.indexOf("\n\n", table.indexOf("| When |")));
        java.util.List<String> documented = new java.util.ArrayList<>();
        for (String row : table.lines().skip(2).toList()) {
            Matcher reasons = REASON.matcher(row.substring(row.indexOf('|', 1)));
            while (reasons.find()) {
                documented.add(reasons.group(1));
            }
        }
        Set<String> typed = Arrays.stream(Reason.values()).map(Reason::name).collect(Collectors.toSet());

        assertThat(documented).doesNotHaveDuplicates();
        assertThat(Set.copyOf(documented)).isEqualTo(typed);
    }
}
