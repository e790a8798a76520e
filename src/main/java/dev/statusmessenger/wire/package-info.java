/** The wire protocol's names and frame encodings: frame types, error codes and close codes. */
package dev.statusmessenger.wire;
