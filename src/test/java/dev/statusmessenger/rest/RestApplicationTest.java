package dev.statusmessenger.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statusmessenger.demo.DemoApplication;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API's applications name their classes rather than scan for them (so that in library mode a
 * host's resources stay out and the API's mappers stay in). This test fails when a resource or
 * provider is added to the code but not to its application.
 */
class RestApplicationTest {

  private static final List<Class<?>> PROVIDER_TYPES =
      List.of(
          ExceptionMapper.class, ContainerRequestFilter.class, ContainerResponseFilter.class,
          MessageBodyReader.class, MessageBodyWriter.class);

  @Test
  void everyResourceAndProviderIsNamedByItsApplication() throws Exception {
    Set<Class<?>> api = new RestApplication().getClasses();
    Set<Class<?>> demo = new DemoApplication().getClasses();
    Set<String> missing = new TreeSet<>();
    for (Class<?> type : compiledClasses()) {
      if (!isJaxRsComponent(type)) {
        continue;
      }
      boolean isDemo = type.getPackageName().endsWith(".demo");
      if (!(isDemo ? demo : api).contains(type)) {
        missing.add(type.getName());
      }
    }
    assertEquals(Set.of(), missing, "add these to RestApplication (or DemoApplication)");
  }

  @Test
  void theApiLeavesTheDemoOut() {
    assertTrue(
        new RestApplication().getClasses().stream()
            .noneMatch(c -> c.getPackageName().endsWith(".demo")));
  }

  private static boolean isJaxRsComponent(Class<?> type) {
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      return false;
    }
    if (type.isAnnotationPresent(Path.class)) {
      return true;
    }
    return PROVIDER_TYPES.stream().anyMatch(p -> p.isAssignableFrom(type));
  }

  private static List<Class<?>> compiledClasses() throws IOException, URISyntaxException {
    java.nio.file.Path root =
        Paths.get(RestApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<java.nio.file.Path> files = Files.walk(root)) {
      return files
          .filter(f -> f.toString().endsWith(".class"))
          .map(f -> root.relativize(f).toString())
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
          .map(RestApplicationTest::load)
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, RestApplicationTest.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new AssertionError("cannot load " + name, e);
    }
  }
}
