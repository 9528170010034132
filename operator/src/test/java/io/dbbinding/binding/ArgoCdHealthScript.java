package io.dbbinding.binding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs {@code integrations/argocd/health.lua} in LuaJ as Argo CD runs a health check: the resource
 * as the global {@code obj}, a table with {@code status} and {@code message} returned.
 */
final class ArgoCdHealthScript {
  static final Path DIR = Path.of("..", "integrations", "argocd");
  static final Path SCRIPT = DIR.resolve("health.lua");

  record Health(String status, String message) {}

  private ArgoCdHealthScript() {}

  /**
   * @param obj the resource as JSON (objects as maps, arrays as lists)
   */
  static Health run(Map<String, Object> obj) throws IOException {
    Globals lua = JsePlatform.standardGlobals();
    lua.set("obj", toLua(obj));
    LuaValue hs = lua.load(Files.readString(SCRIPT), "health.lua").call();
    return new Health(hs.get("status").tojstring(), hs.get("message").tojstring());
  }

  /** JSON as Argo CD hands it to Lua: objects and arrays as tables, arrays from index 1. */
  private static LuaValue toLua(Object json) {
    return switch (json) {
      case null -> LuaValue.NIL;
      case Map<?, ?> m -> {
        LuaTable t = new LuaTable();
        m.forEach((k, v) -> t.set(String.valueOf(k), toLua(v)));
        yield t;
      }
      case List<?> l -> {
        LuaTable t = new LuaTable();
        for (int i = 0; i < l.size(); i++) {
          t.set(i + 1, toLua(l.get(i)));
        }
        yield t;
      }
      case Boolean b -> LuaValue.valueOf(b);
      case Integer i -> LuaValue.valueOf(i);
      case Long l -> LuaValue.valueOf(l.doubleValue());
      case Number n -> LuaValue.valueOf(n.doubleValue());
      default -> LuaValue.valueOf(String.valueOf(json));
    };
  }
}
