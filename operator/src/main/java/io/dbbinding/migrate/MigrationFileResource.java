package io.dbbinding.migrate;

import java.io.Reader;
import java.io.StringReader;
import org.flywaydb.core.api.resource.LoadableResource;

/** One migration file as Flyway reads it: for its parser and for its in-memory locations. */
final class MigrationFileResource extends LoadableResource {
  private final MigrationFile file;

  MigrationFileResource(MigrationFile file) {
    this.file = file;
  }

  @Override
  public Reader read() {
    return new StringReader(file.sql());
  }

  @Override
  public String getAbsolutePath() {
    return file.name();
  }

  @Override
  public String getAbsolutePathOnDisk() {
    return file.name();
  }

  @Override
  public String getFilename() {
    return file.fileName();
  }

  @Override
  public String getRelativePath() {
    return file.name();
  }
}
