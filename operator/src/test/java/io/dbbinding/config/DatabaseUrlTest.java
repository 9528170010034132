package io.dbbinding.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://app:secret@db.internal:5433/orders",
        "postgres://app:secret@db.internal:5433/orders",
        "postgresql+asyncpg://app:secret@db.internal:5433/orders",
        "postgresql+psycopg://app:secret@db.internal:5433/orders",
        "jdbc:postgresql://db.internal:5433/orders?user=app&password=secret",
        "  postgresql://app:secret@db.internal:5433/orders  "
      })
  void everyAcceptedFormParsesToTheSameParts(String text) {
    DatabaseUrl url = DatabaseUrl.parse(text);
    assertThat(url.user()).isEqualTo("app");
    assertThat(url.password()).isEqualTo("secret");
    assertThat(url.hosts()).containsExactly(new HostAndPort("db.internal", 5433));
    assertThat(url.database()).isEqualTo("orders");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/orders");
    assertThat(url.masked()).isEqualTo("postgresql://app:****@db.internal:5433/orders");
    assertThat(url.toString()).isEqualTo(url.masked()).doesNotContain("secret");
    assertThat(url.provider()).isEqualTo(Provider.POSTGRESQL);
  }

  @Test
  void userAndPasswordArePercentDecoded() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://us%C3%A9r:p%40ss%3Aw%2Fd%20x@h/db");
    assertThat(url.user()).isEqualTo("usér");
    assertThat(url.password()).isEqualTo("p@ss:w/d x");
    assertThat(url.masked()).isEqualTo("postgresql://us%C3%A9r:****@h:5432/db");
  }

  @Test
  void rawAtAndSlashInThePasswordStillParse() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://app:p@ss/w@db:5432/orders");
    assertThat(url.password()).isEqualTo("p@ss/w");
    assertThat(url.primaryHost()).isEqualTo(new HostAndPort("db", 5432));
    assertThat(url.database()).isEqualTo("orders");
  }

  @Test
  void rawQuestionMarksAndHashesInThePasswordStayInThePassword() {
    DatabaseUrl url =
        DatabaseUrl.parse("postgresql://app:pa?ss#wo/rd@db:5432/orders?sslmode=require#frag");
    assertThat(url.password()).isEqualTo("pa?ss#wo/rd");
    assertThat(url.parameters()).containsExactly(java.util.Map.entry("sslmode", "require"));
    assertThat(url.masked()).isEqualTo("postgresql://app:****@db:5432/orders?sslmode=require");
  }

  @Test
  void ipv6HostsAndSeveralHostsWork() {
    assertThat(DatabaseUrl.parse("postgresql://a:b@[::1]:5433/db").hosts())
        .containsExactly(new HostAndPort("::1", 5433));
    assertThat(DatabaseUrl.parse("postgresql://a:b@[fe80::1]/db").jdbcUrl())
        .isEqualTo("jdbc:postgresql://[fe80::1]:5432/db");
    DatabaseUrl several =
        DatabaseUrl.parse(
            "postgresql://a:b@h1:5432,h2:5433,[::1]/db?target_session_attrs=read-write");
    assertThat(several.hosts())
        .containsExactly(
            new HostAndPort("h1", 5432), new HostAndPort("h2", 5433), new HostAndPort("::1", 5432));
    assertThat(several.jdbcUrl())
        .isEqualTo("jdbc:postgresql://h1:5432,h2:5433,[::1]:5432/db?targetServerType=primary");
  }

  @Test
  void queryParametersCarryOverTranslatedForTheDriver() {
    DatabaseUrl url =
        DatabaseUrl.parse(
            "postgresql://a:b@h/db?sslmode=require&options=-c%20search_path%3Dapp&application_name=shop&connect_timeout=5&sslpassword=hush");
    assertThat(url.parameters())
        .containsEntry("sslmode", "require")
        .containsEntry("options", "-c search_path=app");
    assertThat(url.jdbcParameters())
        .containsEntry("sslmode", "require")
        .containsEntry("options", "-c search_path=app")
        .containsEntry("ApplicationName", "shop")
        .containsEntry("connectTimeout", "5");
    assertThat(url.jdbcUrl()).contains("options=-c%20search_path%3Dapp");
    assertThat(url.masked()).contains("sslpassword=****").doesNotContain("hush");
    assertThat(DatabaseUrl.parse("postgresql+asyncpg://a:b@h/db?ssl=require").jdbcParameters())
        .containsEntry("sslmode", "require");
  }

  @Test
  void providersAreDetectedFromTheHost() {
    assertThat(
            DatabaseUrl.parse(
                    "postgresql://a:b@aws-0-eu-central-1.pooler.supabase.com:5432/postgres")
                .provider())
        .isEqualTo(Provider.SUPABASE);
    assertThat(DatabaseUrl.parse("postgresql://a:b@db.abcd.supabase.co/postgres").provider())
        .isEqualTo(Provider.SUPABASE);
    assertThat(
            DatabaseUrl.parse("postgresql://a:b@ep-x-1.eu-central-1.aws.neon.tech/app").provider())
        .isEqualTo(Provider.NEON);
    assertThat(DatabaseUrl.parse("postgresql://a:b@x.railway.app/railway").provider())
        .isEqualTo(Provider.RAILWAY);
    assertThat(DatabaseUrl.parse("postgresql://a:b@monorail.proxy.rlwy.net:123/railway").provider())
        .isEqualTo(Provider.RAILWAY);
    assertThat(DatabaseUrl.parse("postgresql://a:b@localhost/app").provider().id())
        .isEqualTo("postgresql");
    assertThat(Provider.NEON.id()).isEqualTo("neon");
  }

  @Test
  void transactionPoolersGetPrepareThresholdZero() {
    assertThat(DatabaseUrl.parse("postgresql://a:b@x.pooler.supabase.com:6543/postgres").jdbcUrl())
        .endsWith("?prepareThreshold=0");
    assertThat(DatabaseUrl.parse("postgresql://a:b@x.pooler.supabase.com:5432/postgres").jdbcUrl())
        .doesNotContain("prepareThreshold");
    assertThat(
            DatabaseUrl.parse("postgresql://a:b@ep-x-pooler.neon.tech/app?pgbouncer=true")
                .jdbcUrl())
        .isEqualTo("jdbc:postgresql://ep-x-pooler.neon.tech:5432/app?prepareThreshold=0");
    assertThat(DatabaseUrl.parse("postgresql://a:b@h:6543/app").transactionPooler()).isFalse();
  }

  @Test
  void noUserOrPasswordIsFine() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://localhost");
    assertThat(url.user()).isEmpty();
    assertThat(url.masked()).isEqualTo("postgresql://localhost:5432/");
    assertThat(DatabaseUrl.parse("postgresql://app@localhost/db").masked())
        .isEqualTo("postgresql://app@localhost:5432/db");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mysql://app:Sup3rSecret@db/app",
        "Sup3rSecret",
        "postgresql:/app:Sup3rSecret@db/app",
        "http://app:Sup3rSecret@db/app"
      })
  void otherSchemesAreRefusedListingTheAcceptedForms(String text) {
    assertThatThrownBy(() -> DatabaseUrl.parse(text))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("DATABASE_URL has an unsupported scheme")
        .hasMessageContaining(
            "postgresql://, postgres://, postgresql+asyncpg://, postgresql+psycopg://, jdbc:postgresql://")
        .message()
        .doesNotContain("Sup3rSecret")
        .doesNotContain("\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://app:Sup3rSecret@/db",
        "postgresql://app:Sup3rSecret@db:port/db",
        "postgresql://app:Sup3rSecret@db:99999/db",
        "postgresql://app:Sup3rSecret%zz@db/db",
        "postgresql://app:Sup3rSecret@[::1/db",
        "postgresql://app:Sup3rSecret@[::1]x/db",
        "postgresql://app:Sup3rSecret@db,/db",
        "postgresql://app:Sup3rSecret@db/a%2Fb",
        "postgresql://app:Sup3rSecret@d b/db",
        "postgresql://app:Sup3rSecret@db/db?=x",
        "postgresql://app:Sup3r%FFSecret@db/db",
      })
  void malformedUrlsAreRefusedInOneLineWithoutThePassword(String text) {
    assertThatThrownBy(() -> DatabaseUrl.parse(text))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("DATABASE_URL ")
        .message()
        .doesNotContain("Sup3rSecret")
        .doesNotContain("Sup3r")
        .doesNotContain("\n");
  }

  @Test
  void emptyIsRefused() {
    assertThatThrownBy(() -> DatabaseUrl.parse(" "))
        .hasMessage(
            "DATABASE_URL is empty; expected a URL such as postgresql://user:password@host:5432/db");
    assertThatThrownBy(() -> DatabaseUrl.parse("MY_URL", null))
        .hasMessageStartingWith("MY_URL is empty");
  }
}
