package dev.statusmessenger.platform;

import org.eclipse.microprofile.config.ConfigProvider;

/** The switch every platform workaround has: on unless its key says {@code false}. */
final class Switch {

  private Switch() {}

  static boolean isOn(String key) {
    return ConfigProvider.getConfig()
        .getOptionalValue(key, String.class)
        .map(v -> !"false".equalsIgnoreCase(v.trim()))
        .orElse(true);
  }
}
