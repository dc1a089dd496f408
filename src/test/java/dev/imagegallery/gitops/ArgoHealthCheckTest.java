package dev.imagegallery.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegallery.api.Condition;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.testing.KStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check (deploy/argocd/health.lua) run by a Lua interpreter over the statuses the
 * operator writes, for every kind and every state, and agreeing with kstatus's reading of them.
 */
class ArgoHealthCheckTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCRIPT = Path.of("deploy/argocd/health.lua");

  enum State { FRESH, IN_PROGRESS, READY, STALLED, GENERATION_NOT_OBSERVED, TERMINATING }

  static List<Arguments> everyKindInEveryState() {
    List<Arguments> cases = new ArrayList<>();
    for (String kind : List.of("Region", "Gallery", "ImageDefinition", "ImageVersion")) {
      cases.add(Arguments.of(kind, State.FRESH, "Progressing", KStatus.Result.InProgress));
      cases.add(Arguments.of(kind, State.IN_PROGRESS, "Progressing", KStatus.Result.InProgress));
      cases.add(Arguments.of(kind, State.READY, "Healthy", KStatus.Result.Current));
      cases.add(Arguments.of(kind, State.STALLED, "Degraded", KStatus.Result.Failed));
      cases.add(Arguments.of(kind, State.GENERATION_NOT_OBSERVED, "Progressing", KStatus.Result.InProgress));
      cases.add(Arguments.of(kind, State.TERMINATING, "Progressing", KStatus.Result.Terminating));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} {1} is {2}")
  @MethodSource("everyKindInEveryState")
  void healthFollowsTheConditionsTheOperatorWrites(String kind, State state, String health, KStatus.Result kstatus) throws IOException {
    Map<String, Object> object = object(kind, state);

    LuaValue result = health(object);

    assertThat(result.get("status").tojstring()).isEqualTo(health);
    assertThat(result.get("message").tojstring()).isNotBlank();
    assertThat(KStatus.of(object)).as("kstatus agrees").isEqualTo(kstatus);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theArgoCdSnippetEmbedsTheTestedScriptForEveryKind(String kind) throws IOException {
    String snippet = Files.readString(Path.of("deploy/argocd/argocd-cm.yaml"));
    String key = "  resource.customizations.health.imagegallery.dev_" + kind + ": |\n";
    assertThat(snippet).contains(key);
    String embedded = snippet.substring(snippet.indexOf(key) + key.length()).lines()
        .takeWhile(l -> l.isEmpty() || l.startsWith("    ")).map(l -> l.isEmpty() ? l : l.substring(4))
        .reduce((a, b) -> a + "\n" + b).orElse("");
    assertThat(embedded.strip()).isEqualTo(Files.readString(SCRIPT).strip());
  }

  static List<String> kinds() {
    return List.of("Region", "Gallery", "ImageDefinition", "ImageVersion");
  }

  /** An object as the API server returns it, with the status the operator's own condition code produces. */
  private static Map<String, Object> object(String kind, State state) {
    Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", "x", "generation", 2));
    Map<String, Object> object = new LinkedHashMap<>(Map.of("apiVersion", "imagegallery.dev/v1alpha1", "kind", kind, "metadata", metadata));
    if (state == State.FRESH) {
      return object;
    }
    Outcome outcome = switch (state) {
      case IN_PROGRESS -> Outcome.inProgress("Replicating", "1 of 2 target regions completed");
      case STALLED -> Outcome.stalled("RegionRestricted", "region x is restricted");
      // READY, TERMINATING, and GENERATION_NOT_OBSERVED: Ready for generation 1 while the object is at 2.
      default -> Outcome.ready("Available", "all good");
    };
    long observed = state == State.GENERATION_NOT_OBSERVED ? 1 : 2;
    List<Condition> conditions = Conditions.apply(null, observed, outcome, Instant.parse("2026-11-28T10:00:00Z"));
    if (state == State.TERMINATING) {
      metadata.put("deletionTimestamp", "2026-11-28T10:00:00Z");
    }
    object.put("status", Map.of("observedGeneration", observed, "conditions", JSON.convertValue(conditions, List.class)));
    return object;
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
