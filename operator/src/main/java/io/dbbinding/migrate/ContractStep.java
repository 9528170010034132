package io.dbbinding.migrate;

/**
 * A versioned migration marked {@code -- dbbinding:contract}: it drops the old shape, so it waits
 * until no pod needs a schema below its expand version.
 *
 * @param script the file name, as the history table records it
 * @param version its version
 * @param expandVersion the highest version below it of a migration that is not a contract step: the
 *     schema the new code needs; null when there is none (nothing to wait for)
 */
public record ContractStep(String script, SchemaVersion version, SchemaVersion expandVersion) {}
