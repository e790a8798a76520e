package dev.statusmessenger.rest;

/** Names and examples shared by the OpenAPI annotations of the resources. */
final class ApiDocs {

  static final String BEARER = "bearer";
  static final String PROBLEM = "application/problem+json";
  static final String SESSION_EXAMPLE = "Q2VxNd0y7bbq1S0Pzv3n0w5JzKc9Hq2u";
  static final String TASK_EXAMPLE = "t0R8QvRZ9c1n4m2xKq7bWdUe5JfGs3Ha";
  static final String PROBLEM_EXAMPLE =
      "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
          + "\"detail\":\"\\\"message\\\" is required\"}";

  private ApiDocs() {}
}
