package io.dbbinding.binding;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A DatabaseBinding: one application's PostgreSQL database, the migrations it needs, and the status
 * the operator reports about both. The CRD in {@code crds/} is generated from this class.
 */
@Group(DatabaseBinding.GROUP)
@Version(DatabaseBinding.VERSION)
@Kind("DatabaseBinding")
@Plural("databasebindings")
@Singular("databasebinding")
@ShortNames("dbb")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Schema",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.schemaVersion")
@AdditionalPrinterColumn(
    name = "Pending",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.pendingMigrations")
@AdditionalPrinterColumn(
    name = "Provider",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.provider")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class DatabaseBinding extends CustomResource<DatabaseBindingSpec, DatabaseBindingStatus>
    implements Namespaced {
  public static final String GROUP = "dbbinding.io";
  public static final String VERSION = "v1alpha1";
  private static final long serialVersionUID = 1L;

  /** Required, so that the API server refuses a binding without a spec at apply time. */
  @Override
  @Required
  public DatabaseBindingSpec getSpec() {
    return super.getSpec();
  }

  @Override
  protected DatabaseBindingStatus initStatus() {
    return new DatabaseBindingStatus();
  }
}
