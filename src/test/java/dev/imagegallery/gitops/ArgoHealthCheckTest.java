package dev.imagegallery.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegallery.gitops.OperatorStatuses.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check (deploy/argocd/health.lua) run by a Lua interpreter over the statuses the
 * operator's status calculators write, for every kind in every state it can be in.
 */
class ArgoHealthCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT = Path.of("deploy/argocd/health.lua");

    static List<Case> everyKindInEveryState() {
        return OperatorStatuses.everyKindInEveryState();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKindInEveryState")
    void healthFollowsTheConditionsTheOperatorWrites(Case c) throws IOException {
        String expected = switch (c.state()) {
            // Unlike kstatus, Argo CD does not take an object the operator has not looked at yet for done.
            case FRESH, IN_PROGRESS, GENERATION_NOT_OBSERVED, TERMINATING -> "Progressing";
            case READY -> "Healthy";
            case STALLED -> "Degraded";
        };

        LuaValue result = health(c.object());

        assertThat(result.get("status").tojstring()).isEqualTo(expected);
        assertThat(result.get("message").tojstring()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void theArgoCdSnippetEmbedsTheTestedScriptForEveryKind(String kind) throws IOException {
        String snippet = Files.readString(Path.of("deploy/argocd/argocd-cm.yaml"));
        String key = "  resource.customizations.health.imagegallery.dev_" + kind + ": |\n";
        assertThat(snippet).contains(key);
        String embedded = snippet.substring(snippet.indexOf(key) + key.length())
                .lines()
                .takeWhile(l -> l.isEmpty() || l.startsWith("    "))
                .map(l -> l.isEmpty() ? l : l.substring(4))
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
        assertThat(embedded.strip()).isEqualTo(Files.readString(SCRIPT).strip());
    }

    static List<String> kinds() {
        return OperatorStatuses.KINDS;
    }

    private static LuaValue health(Map<String, Object> object) throws IOException {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(JSON.valueToTree(object)));
        return globals.load(Files.readString(SCRIPT), "health.lua").call();
    }

    private static LuaValue toLua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                table.set(field.getKey(), toLua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }
}
