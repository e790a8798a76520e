package dev.statusmessenger.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * The object behind an {@code @ApplicationScoped} bean's client proxy, for the few calls made for
 * every message. Each call through a Weld client proxy sets up and tears down an interception
 * context (a thread-local stack, made anew each time) and looks the instance up again: a quarter of
 * what the product allocated per frame under load, and ~9% of its CPU (docs/performance.md). An
 * application-scoped bean's instance lives as long as the application, and the product's beans
 * have no interceptors or decorators, so calling the instance directly changes nothing else.
 *
 * <p>Standard CDI only ({@link BeanManager#getContext}); where there is no bean manager (unit tests
 * building beans by hand), or the type is not one application-scoped bean, the object injected is
 * returned as it is.
 */
public final class Unproxied {

  private Unproxied() {}

  /**
   * @param beans the application's bean manager, or null outside a container
   * @param injected what was injected for {@code type} (a client proxy in a container)
   */
  public static <T> T of(BeanManager beans, T injected, Class<T> type) {
    if (beans == null) {
      return injected;
    }
    Bean<?> bean = beans.resolve(beans.getBeans(type));
    if (bean == null || bean.getScope() != ApplicationScoped.class) {
      return injected;
    }
    @SuppressWarnings("unchecked")
    Bean<T> typed = (Bean<T>) bean;
    T instance = beans.getContext(ApplicationScoped.class).get(typed, beans.createCreationalContext(typed));
    return type.isInstance(instance) ? instance : injected;
  }
}
