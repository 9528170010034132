package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbbinding.binding.ArgoCdHealthScript.Health;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code integrations/argocd/health_test.yaml}, in the format of Argo CD's own health-check tests,
 * run in LuaJ: each of its inputs (statuses the operator wrote, captured by ArgoCdHealthTest) gets
 * the health it names, and together they cover every health the script gives.
 */
class ArgoCdHealthTestdataTest {
  record Expected(Health healthStatus, String inputPath) {}

  record Cases(List<Expected> tests) {}

  @Test
  void eachCapturedBindingGetsTheHealthTheTestFileNames() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Cases cases =
        yaml.readValue(ArgoCdHealthScript.DIR.resolve("health_test.yaml").toFile(), Cases.class);
    assertThat(cases.tests())
        .extracting(e -> e.healthStatus().status())
        .containsOnly("Healthy", "Progressing", "Degraded", "Suspended")
        .contains("Healthy", "Progressing", "Degraded", "Suspended");
    for (Expected e : cases.tests()) {
      Map<String, Object> obj =
          yaml.readValue(
              ArgoCdHealthScript.DIR.resolve(e.inputPath()).toFile(),
              new TypeReference<Map<String, Object>>() {});
      assertThat(ArgoCdHealthScript.run(obj)).as(e.inputPath()).isEqualTo(e.healthStatus());
    }
  }
}
