//! `generate_kafka_config`: a Kafka client configuration for a role, delivery guarantee, tuning
//! profile, security setting and environment tier. Profile values come from the profile table
//! of the Kafka reference and the tier's rule from the security capability tiers of `SKILL.md`;
//! the delivery and security rules below make exactly-once consistent and keep every secret a
//! placeholder.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Citation, DecideError, SkillFacts, cell, missing, row_containing};

/// The client being configured.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Role {
    /// A producer.
    Producer,
    /// A consumer.
    Consumer,
    /// A Kafka Streams application.
    Streams,
    /// A Kafka Connect worker in distributed mode.
    ConnectWorker,
}

/// The delivery guarantee.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum KafkaDelivery {
    /// Transactions end to end inside Kafka.
    ExactlyOnce,
    /// No loss; duplicates possible after failures.
    AtLeastOnce,
}

/// The tuning goal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Profile {
    /// Least delay per record.
    LowLatency,
    /// Most records per second.
    HighThroughput,
    /// Between the two.
    Balanced,
}

/// How the client authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Security {
    /// SASL/SCRAM-SHA-512 over TLS.
    SaslScram,
    /// Mutual TLS with client certificates.
    Mtls,
    /// SASL/OAUTHBEARER (OIDC client credentials) over TLS.
    Oauth,
    /// No security: a broker on the developer's machine.
    LocalDev,
}

/// The environment's security tier.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Tier {
    /// Tier 1.
    CloudNative,
    /// Tier 2.
    Regulated,
    /// Tier 3.
    AirGapped,
}

/// The client library whose property names to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Client {
    /// The Java client (Apache Kafka).
    Java,
    /// librdkafka and the clients built on it (confluent-kafka-python, -go, -dotnet).
    Librdkafka,
}

/// What to configure.
#[derive(Debug, Clone, Deserialize, JsonSchema, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct KafkaConfigInput {
    /// The client being configured.
    #[arg(long, ignore_case = true)]
    pub role: Role,
    /// Delivery guarantee.
    #[arg(long, ignore_case = true)]
    pub delivery: KafkaDelivery,
    /// Tuning goal.
    #[arg(long, ignore_case = true)]
    pub profile: Profile,
    /// Authentication.
    #[arg(long, ignore_case = true)]
    pub security: Security,
    /// Environment tier: what the agent may do with the result.
    #[arg(long, ignore_case = true)]
    pub tier: Tier,
    /// Property names for this client (default java).
    #[arg(long, ignore_case = true)]
    pub client: Option<Client>,
}

/// A generated configuration.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct KafkaConfig {
    /// The client whose property names are used.
    pub client: Client,
    /// A properties file, each setting (or run of settings) under a comment saying why.
    pub properties: String,
    /// The same settings as a map, for callers in Rust; left out of replies, where it would
    /// repeat the properties file.
    #[serde(skip)]
    #[schemars(skip)]
    pub settings: BTreeMap<String, String>,
    /// What to watch out for.
    pub warnings: Vec<String>,
    /// What a human must review or do instead of the agent.
    pub human_review: Vec<String>,
    /// The table rows and sections used.
    pub citations: Vec<Citation>,
}

/// Settings in order; a key set twice keeps its first position and its last value.
#[derive(Default)]
struct Settings(Vec<(String, String, String)>);

impl Settings {
    fn set(&mut self, key: &str, value: impl Into<String>, why: impl Into<String>) {
        let (value, why) = (value.into(), why.into());
        match self.0.iter_mut().find(|(k, _, _)| k == key) {
            Some(entry) => {
                entry.1 = value;
                entry.2 = why;
            }
            None => self.0.push((key.to_string(), value, why)),
        }
    }

    fn remove(&mut self, key: &str) -> Option<String> {
        let at = self.0.iter().position(|(k, _, _)| k == key)?;
        Some(self.0.remove(at).1)
    }
}

/// A secret placeholder: a Java ConfigProvider reference, or an environment reference the
/// application substitutes for librdkafka (which resolves no placeholders itself).
fn secret(client: Client, name: &str) -> String {
    match client {
        Client::Java => format!("${{env:{name}}}"),
        Client::Librdkafka => format!("${{{name}}}"),
    }
}

/// Builds the configuration.
pub fn generate(facts: &SkillFacts, input: &KafkaConfigInput) -> Result<KafkaConfig, DecideError> {
    let client = input.client.unwrap_or(Client::Java);
    if client == Client::Librdkafka && matches!(input.role, Role::Streams | Role::ConnectWorker) {
        return Err(DecideError::Input(format!(
            "{} runs only on the Java client; use client \"java\"",
            if input.role == Role::Streams {
                "Kafka Streams"
            } else {
                "Kafka Connect"
            }
        )));
    }
    let mut s = Settings::default();
    let mut warnings = Vec::new();
    let mut citations = Vec::new();
    let eos = input.delivery == KafkaDelivery::ExactlyOnce;

    // Where the cluster is.
    if input.security == Security::LocalDev {
        s.set("bootstrap.servers", "localhost:9092", "A broker on this machine");
    } else {
        s.set(
            "bootstrap.servers",
            secret(client, "KAFKA_BOOTSTRAP_SERVERS"),
            "Two or three brokers of the cluster, from the environment",
        );
    }

    // The role and its delivery guarantee.
    match input.role {
        Role::Producer => producer(&mut s, client, eos),
        Role::Consumer => consumer(&mut s, client, eos),
        Role::Streams => {
            s.set(
                "application.id",
                secret(client, "KAFKA_STREAMS_APPLICATION_ID"),
                "Names the consumer group, internal topics and state directory; never change it on a running app",
            );
            if eos {
                s.set(
                    "processing.guarantee",
                    "exactly_once_v2",
                    "Transactions cover output, changelogs and input offsets (brokers 2.5+)",
                );
            } else {
                s.set(
                    "processing.guarantee",
                    "at_least_once",
                    "Replays after a failure; downstream writes must be idempotent",
                );
            }
            s.set(
                "replication.factor",
                "3",
                "Internal changelog and repartition topics survive a broker loss",
            );
            s.set(
                "num.standby.replicas",
                "1",
                "A warm copy of each state store makes failover fast",
            );
        }
        Role::ConnectWorker => connect_worker(&mut s, client, eos),
    }

    // The tuning profile, from the reference's profile table.
    let profiles = facts.reference_table("kafka-deep-dive", "low-latency-vs-high-throughput-profiles")?;
    let role_name: &str = input.role.into();
    let profile_name: &str = input.profile.into();
    let mut found = false;
    for row in &profiles.rows {
        if cell(&profiles, row, "Role")? != role_name || cell(&profiles, row, "Profile")? != profile_name {
            continue;
        }
        found = true;
        let key = cell(&profiles, row, "Setting")?.trim_matches('`');
        let value = cell(&profiles, row, "Value")?;
        let why = cell(&profiles, row, "Why")?;
        if eos
            && input.role == Role::Streams
            && key == "commit.interval.ms"
            && value.parse::<u64>().is_ok_and(|v| v > 1_000)
        {
            warnings.push(format!(
                "Left commit.interval.ms at its exactly-once default (100 ms) instead of the {profile_name} profile's {value}: under exactly_once_v2 each commit ends a transaction, and read_committed consumers see nothing until it does."
            ));
            continue;
        }
        s.set(key, value, why);
        citations.push(facts.cite_row(&profiles, row));
    }
    if !found {
        return Err(missing(
            "Kafka reference's profile table",
            &format!("no rows for role {role_name} and profile {profile_name}"),
        ));
    }

    // Security.
    security(&mut s, input, client, &mut warnings);
    if input.role == Role::ConnectWorker {
        prefix_security_for_connectors(&mut s);
    }

    // Property names of the chosen client.
    if client == Client::Librdkafka {
        to_librdkafka(&mut s, &mut warnings);
        warnings.push(
            "librdkafka resolves no ${...} placeholders: substitute them from the environment or your secret store in the application before creating the client, and never write the values into this file.".to_string(),
        );
    } else if s.0.iter().any(|(_, v, _)| v.contains("${env:")) {
        s.set(
            "config.providers",
            "env",
            "Resolve ${env:NAME} placeholders at start-up so no secret is written here",
        );
        s.set(
            "config.providers.env.class",
            "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
            "The environment-variable provider (Kafka 3.5+); use FileConfigProvider or a Vault provider for mounted secrets",
        );
    }

    // Principles and tier.
    if let Ok(c) = facts.cite_section(
        if eos {
            "exactly-once-vs-at-least-once"
        } else {
            "idempotent-consumers"
        },
        None,
    ) {
        citations.push(c);
    }
    if let Ok(c) = facts.cite_section("security-posture", None) {
        citations.push(c);
    }
    let human_review = tier_review(facts, input, &mut citations)?;
    if eos && matches!(input.role, Role::Producer | Role::Streams | Role::ConnectWorker) {
        warnings.push(
            "Transactions need at least 3 brokers for the transaction state log (transaction.state.log.replication.factor=3, transaction.state.log.min.isr=2); consumers of the output must read with isolation.level=read_committed.".to_string(),
        );
    }
    if !eos {
        warnings.push(
            "At-least-once replays records after a failure: make the sink idempotent (upsert on a key, or deduplicate on an event ID).".to_string(),
        );
    }

    check_no_literal_secrets(&s)?;
    let properties = render(input, client, &s);
    let settings = s.0.iter().map(|(k, v, _)| (k.clone(), v.clone())).collect();
    Ok(KafkaConfig {
        client,
        properties,
        settings,
        warnings,
        human_review,
        citations,
    })
}

fn producer(s: &mut Settings, client: Client, eos: bool) {
    s.set("acks", "all", "Wait for every in-sync replica before a write counts");
    s.set(
        "enable.idempotence",
        "true",
        "The broker drops duplicates that retries would create",
    );
    s.set(
        "max.in.flight.requests.per.connection",
        "5",
        "Idempotence allows at most 5 and keeps order within that bound",
    );
    s.set(
        "delivery.timeout.ms",
        "120000",
        "Bound retrying by time instead of tuning retries",
    );
    if eos {
        s.set(
            "transactional.id",
            secret(client, "KAFKA_TRANSACTIONAL_ID"),
            "Unique per producer instance and stable across its restarts (e.g. <app>-<pod ordinal>), so a restarted instance fences its zombie",
        );
        s.set(
            "transaction.timeout.ms",
            "60000",
            "Abort a transaction left open this long; keep it under the broker's transaction.max.timeout.ms",
        );
    }
}

fn consumer(s: &mut Settings, client: Client, eos: bool) {
    s.set(
        "group.id",
        secret(client, "KAFKA_GROUP_ID"),
        "One group per application; members split the partitions",
    );
    s.set(
        "enable.auto.commit",
        "false",
        if eos {
            "Offsets are committed inside the producer's transaction, never on a timer"
        } else {
            "Commit only after records are processed, so a crash replays instead of skipping"
        },
    );
    s.set(
        "auto.offset.reset",
        "earliest",
        "A new group starts from the oldest record instead of skipping data",
    );
    if eos {
        s.set(
            "isolation.level",
            "read_committed",
            "Read only committed transactions; aborted records stay invisible",
        );
    }
}

fn connect_worker(s: &mut Settings, client: Client, eos: bool) {
    s.set(
        "group.id",
        secret(client, "CONNECT_CLUSTER_GROUP_ID"),
        "Workers sharing it form one Connect cluster",
    );
    for (key, topic) in [
        ("config.storage.topic", "configs"),
        ("offset.storage.topic", "offsets"),
        ("status.storage.topic", "status"),
    ] {
        let partitions = if topic == "configs" {
            " with exactly one partition"
        } else {
            ""
        };
        s.set(
            key,
            format!("connect-{topic}"),
            format!("Compacted topic for connector {topic}; create it yourself{partitions}"),
        );
    }
    for key in [
        "config.storage.replication.factor",
        "offset.storage.replication.factor",
        "status.storage.replication.factor",
    ] {
        s.set(key, "3", "Cluster state survives a broker loss");
    }
    if eos {
        s.set(
            "exactly.once.source.support",
            "enabled",
            "Source tasks write records and offsets in one transaction (Kafka 3.3+); an existing cluster rolls through preparing first",
        );
        s.set(
            "consumer.isolation.level",
            "read_committed",
            "Sink connectors read only committed records",
        );
    }
}

fn security(s: &mut Settings, input: &KafkaConfigInput, client: Client, warnings: &mut Vec<String>) {
    let java = client == Client::Java;
    match input.security {
        Security::LocalDev => {
            s.set(
                "security.protocol",
                "PLAINTEXT",
                "No TLS and no authentication: a broker on this machine only",
            );
            warnings.push(
                "PLAINTEXT sends data and credentials in clear text with no authentication: use it only against a local development broker, never in a shared or production environment.".to_string(),
            );
            if input.tier != Tier::CloudNative {
                warnings.push(format!(
                    "{} environment needs SASL/SCRAM, mTLS or OAuth; local-dev settings must not leave a laptop.",
                    capitalize(&crate::markdown::with_article(<&str>::from(input.tier)))
                ));
            }
        }
        Security::SaslScram => {
            s.set("security.protocol", "SASL_SSL", "Authenticate with SASL over TLS");
            if java {
                s.set(
                    "sasl.mechanism",
                    "SCRAM-SHA-512",
                    "Salted challenge-response; the password never crosses the wire",
                );
                s.set(
                    "sasl.jaas.config",
                    format!(
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"{}\" password=\"{}\";",
                        secret(client, "KAFKA_SASL_USERNAME"),
                        secret(client, "KAFKA_SASL_PASSWORD")
                    ),
                    "Credentials come from the environment, never from this file",
                );
            } else {
                s.set(
                    "sasl.mechanism",
                    "SCRAM-SHA-512",
                    "Salted challenge-response; the password never crosses the wire",
                );
                s.set(
                    "sasl.username",
                    secret(client, "KAFKA_SASL_USERNAME"),
                    "From the environment",
                );
                s.set(
                    "sasl.password",
                    secret(client, "KAFKA_SASL_PASSWORD"),
                    "From the environment",
                );
            }
            truststore(s, client);
        }
        Security::Mtls => {
            s.set(
                "security.protocol",
                "SSL",
                "TLS with a client certificate as the identity",
            );
            if java {
                s.set(
                    "ssl.keystore.type",
                    "PKCS12",
                    "The client's certificate and private key",
                );
                s.set(
                    "ssl.keystore.location",
                    "/etc/kafka/tls/client.p12",
                    "Mounted from the secret store",
                );
                s.set(
                    "ssl.keystore.password",
                    secret(client, "KAFKA_KEYSTORE_PASSWORD"),
                    "From the environment",
                );
                s.set(
                    "ssl.key.password",
                    secret(client, "KAFKA_KEY_PASSWORD"),
                    "From the environment",
                );
            } else {
                s.set(
                    "ssl.certificate.location",
                    "/etc/kafka/tls/client.pem",
                    "The client certificate (PEM)",
                );
                s.set(
                    "ssl.key.location",
                    "/etc/kafka/tls/client.key",
                    "Its private key, mounted from the secret store",
                );
                s.set(
                    "ssl.key.password",
                    secret(client, "KAFKA_KEY_PASSWORD"),
                    "From the environment",
                );
            }
            truststore(s, client);
        }
        Security::Oauth => {
            s.set("security.protocol", "SASL_SSL", "Authenticate with SASL over TLS");
            s.set(
                "sasl.mechanism",
                "OAUTHBEARER",
                "Short-lived tokens from the identity provider",
            );
            if java {
                s.set(
                    "sasl.oauthbearer.token.endpoint.url",
                    secret(client, "KAFKA_OAUTH_TOKEN_ENDPOINT"),
                    "The identity provider's token endpoint",
                );
                s.set(
                    "sasl.login.callback.handler.class",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                    "Fetches and refreshes tokens with the client-credentials grant (Kafka 3.4+ package)",
                );
                s.set(
                    "sasl.jaas.config",
                    format!(
                        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId=\"{}\" clientSecret=\"{}\" scope=\"kafka\";",
                        secret(client, "KAFKA_OAUTH_CLIENT_ID"),
                        secret(client, "KAFKA_OAUTH_CLIENT_SECRET")
                    ),
                    "Client credentials come from the environment, never from this file",
                );
                warnings.push(
                    "Kafka 4.0+ clients refuse token endpoints not listed in the JVM property -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls; set it to the token endpoint URL.".to_string(),
                );
            } else {
                s.set(
                    "sasl.oauthbearer.method",
                    "oidc",
                    "librdkafka fetches tokens itself with the client-credentials grant",
                );
                s.set(
                    "sasl.oauthbearer.token.endpoint.url",
                    secret(client, "KAFKA_OAUTH_TOKEN_ENDPOINT"),
                    "The identity provider's token endpoint",
                );
                s.set(
                    "sasl.oauthbearer.client.id",
                    secret(client, "KAFKA_OAUTH_CLIENT_ID"),
                    "From the environment",
                );
                s.set(
                    "sasl.oauthbearer.client.secret",
                    secret(client, "KAFKA_OAUTH_CLIENT_SECRET"),
                    "From the environment",
                );
                s.set("sasl.oauthbearer.scope", "kafka", "The scope the brokers expect");
            }
            truststore(s, client);
        }
    }
}

fn truststore(s: &mut Settings, client: Client) {
    match client {
        Client::Java => {
            s.set(
                "ssl.truststore.type",
                "PKCS12",
                "The CA that signed the brokers' certificates",
            );
            s.set(
                "ssl.truststore.location",
                "/etc/kafka/tls/truststore.p12",
                "Omit both truststore settings when the brokers use a publicly trusted CA",
            );
            s.set(
                "ssl.truststore.password",
                secret(client, "KAFKA_TRUSTSTORE_PASSWORD"),
                "From the environment",
            );
        }
        Client::Librdkafka => s.set(
            "ssl.ca.location",
            "/etc/kafka/tls/ca.pem",
            "The CA that signed the brokers' certificates; omit it to use the system CA store",
        ),
    }
}

/// A Connect worker's own settings do not reach the clients its connectors create: repeat
/// the security settings under the `producer.`, `consumer.` and `admin.` prefixes.
fn prefix_security_for_connectors(s: &mut Settings) {
    let security: Vec<(String, String)> =
        s.0.iter()
            .filter(|(k, _, _)| k.starts_with("security.") || k.starts_with("sasl.") || k.starts_with("ssl."))
            .map(|(k, v, _)| (k.clone(), v.clone()))
            .collect();
    for prefix in ["producer.", "consumer.", "admin."] {
        for (key, value) in &security {
            s.set(
                &format!("{prefix}{key}"),
                value.clone(),
                format!(
                    "Connectors' {} clients do not inherit the worker's security settings",
                    prefix.trim_end_matches('.')
                ),
            );
        }
    }
}

/// Renames Java property names that librdkafka spells differently.
fn to_librdkafka(s: &mut Settings, warnings: &mut Vec<String>) {
    if let Some(value) = s.remove("max.poll.records") {
        warnings.push(format!(
            "librdkafka has no max.poll.records ({value} in the profile): it delivers one message per poll; batch in the application if needed."
        ));
    }
    for (java, rdkafka) in [
        ("fetch.max.wait.ms", "fetch.wait.max.ms"),
        ("sasl.mechanism", "sasl.mechanisms"),
    ] {
        if let Some(entry) = s.0.iter_mut().find(|(k, _, _)| k == java) {
            entry.0 = rdkafka.to_string();
        }
    }
    if let Some(entry) = s.0.iter_mut().find(|(k, _, _)| k == "buffer.memory") {
        let kbytes = entry
            .1
            .parse::<u64>()
            .map(|b| (b / 1024).to_string())
            .unwrap_or(entry.1.clone());
        *entry = (
            "queue.buffering.max.kbytes".to_string(),
            kbytes,
            format!("{} (librdkafka counts this in KiB)", entry.2),
        );
    }
}

fn check_no_literal_secrets(s: &Settings) -> Result<(), DecideError> {
    for (key, value, _) in &s.0 {
        let sensitive = key.contains("password") || key.contains("secret") || key.ends_with("jaas.config");
        if sensitive && !value.contains("${") {
            return Err(missing("secret rule", &format!("{key} would hold a literal value")));
        }
    }
    Ok(())
}

fn tier_review(
    facts: &SkillFacts,
    input: &KafkaConfigInput,
    citations: &mut Vec<Citation>,
) -> Result<Vec<String>, DecideError> {
    let table = facts.table("security-capability-tiers")?;
    let row = row_containing(table, "Capability", "kafka")
        .ok_or_else(|| missing("table security-capability-tiers", "no Kafka row"))?;
    let column = table
        .columns
        .iter()
        .find(|c| c.to_lowercase().contains(<&str>::from(input.tier)))
        .ok_or_else(|| {
            missing(
                "table security-capability-tiers",
                &format!("no {} column", <&str>::from(input.tier)),
            )
        })?;
    let allowed = cell(table, row, column)?;
    citations.push(facts.cite_row(table, row));
    let mut out = vec![format!("{column}: {allowed}.")];
    let lower = allowed.to_lowercase();
    if lower.contains("review") || lower.contains("only") {
        out.push(
            "Do not apply this configuration or connect to a cluster with it; hand the file to a human.".to_string(),
        );
        out.push("The reviewer checks: security.protocol and the SASL mechanism match the cluster's listener; every placeholder maps to an entry in the approved secret store; group.id, transactional.id and application.id follow the naming policy; ACLs grant only the topics and groups this client needs.".to_string());
    }
    if lower.contains("only") {
        out.push("Air-gapped: the truststore and any token endpoint must be internal; nothing in the file may point outside the enclave, and a human carries it across.".to_string());
    }
    if lower.contains("deploy") {
        out.push(
            "The agent may apply this to a development cluster; production still goes through review.".to_string(),
        );
    }
    Ok(out)
}

/// `text` with its first letter in upper case, to start a sentence.
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

fn render(input: &KafkaConfigInput, client: Client, s: &Settings) -> String {
    let mut out = format!(
        "# Kafka {} ({}, {}, {}, {} tier) for the {} client\n",
        <&str>::from(input.role),
        <&str>::from(input.delivery),
        <&str>::from(input.profile),
        match input.security {
            Security::SaslScram => "SASL/SCRAM",
            Security::Mtls => "mTLS",
            Security::Oauth => "OAuth",
            Security::LocalDev => "local development",
        },
        <&str>::from(input.tier),
        match client {
            Client::Java => "Java",
            Client::Librdkafka => "librdkafka",
        }
    );
    // A run of settings with the same reason shares one comment above it.
    let mut previous: Option<&str> = None;
    for (key, value, why) in &s.0 {
        if previous != Some(why.as_str()) {
            out.push_str(&format!("# {why}\n"));
        }
        out.push_str(&format!("{key}={value}\n"));
        previous = Some(why);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn enum_strings_match_the_wire_names() {
        use crate::testing::same_names;
        same_names::<Role>();
        same_names::<KafkaDelivery>();
        same_names::<Profile>();
        same_names::<Tier>();
    }
    use crate::skill::Skill;

    fn facts() -> SkillFacts {
        SkillFacts::new(Arc::new(Skill::embedded().unwrap()))
    }

    fn input(role: Role, delivery: KafkaDelivery, security: Security) -> KafkaConfigInput {
        KafkaConfigInput {
            role,
            delivery,
            profile: Profile::Balanced,
            security,
            tier: Tier::CloudNative,
            client: None,
        }
    }

    #[test]
    fn exactly_once_producer_is_consistent() {
        let c = generate(
            &facts(),
            &input(Role::Producer, KafkaDelivery::ExactlyOnce, Security::SaslScram),
        )
        .unwrap();
        assert_eq!(c.settings["acks"], "all");
        assert_eq!(c.settings["enable.idempotence"], "true");
        assert_eq!(c.settings["max.in.flight.requests.per.connection"], "5");
        assert_eq!(c.settings["transactional.id"], "${env:KAFKA_TRANSACTIONAL_ID}");
        assert_eq!(
            c.settings["linger.ms"], "5",
            "balanced profile from the reference table"
        );
        assert_eq!(c.settings["config.providers"], "env");
        assert!(
            c.properties
                .contains("# Wait for every in-sync replica before a write counts\nacks=all\n")
        );
    }

    #[test]
    fn exactly_once_consumer_reads_committed_without_auto_commit() {
        let c = generate(
            &facts(),
            &input(Role::Consumer, KafkaDelivery::ExactlyOnce, Security::Mtls),
        )
        .unwrap();
        assert_eq!(c.settings["isolation.level"], "read_committed");
        assert_eq!(c.settings["enable.auto.commit"], "false");
        assert_eq!(c.settings["security.protocol"], "SSL");
        let alo = generate(
            &facts(),
            &input(Role::Consumer, KafkaDelivery::AtLeastOnce, Security::Mtls),
        )
        .unwrap();
        assert!(!alo.settings.contains_key("isolation.level"));
    }

    #[test]
    fn streams_gets_exactly_once_v2_and_keeps_short_commits() {
        let mut i = input(Role::Streams, KafkaDelivery::ExactlyOnce, Security::Oauth);
        i.profile = Profile::HighThroughput;
        let c = generate(&facts(), &i).unwrap();
        assert_eq!(c.settings["processing.guarantee"], "exactly_once_v2");
        assert!(!c.settings.contains_key("commit.interval.ms"));
        assert!(c.warnings.iter().any(|w| w.contains("commit.interval.ms")));
        assert_eq!(c.settings["num.stream.threads"], "4");
    }

    #[test]
    fn secrets_are_placeholders_for_every_combination() {
        for role in [Role::Producer, Role::Consumer, Role::Streams, Role::ConnectWorker] {
            for security in [Security::SaslScram, Security::Mtls, Security::Oauth, Security::LocalDev] {
                for client in [Client::Java, Client::Librdkafka] {
                    let mut i = input(role, KafkaDelivery::ExactlyOnce, security);
                    i.client = Some(client);
                    let Ok(c) = generate(&facts(), &i) else {
                        assert!(matches!(role, Role::Streams | Role::ConnectWorker) && client == Client::Librdkafka);
                        continue;
                    };
                    for (key, value) in &c.settings {
                        if key.contains("password") || key.contains("secret") || key.contains("jaas") {
                            assert!(value.contains("${"), "{key}={value}");
                        }
                    }
                    assert_eq!(
                        c.settings.get("security.protocol").map(String::as_str) == Some("PLAINTEXT"),
                        security == Security::LocalDev
                    );
                }
            }
        }
    }

    #[test]
    fn plaintext_only_for_local_dev_with_a_warning() {
        let c = generate(
            &facts(),
            &input(Role::Producer, KafkaDelivery::AtLeastOnce, Security::LocalDev),
        )
        .unwrap();
        assert_eq!(c.settings["security.protocol"], "PLAINTEXT");
        assert!(c.warnings.iter().any(|w| w.starts_with("PLAINTEXT")));
    }

    #[test]
    fn librdkafka_names_differ_where_they_do() {
        let mut i = input(Role::Consumer, KafkaDelivery::AtLeastOnce, Security::SaslScram);
        i.client = Some(Client::Librdkafka);
        let c = generate(&facts(), &i).unwrap();
        assert!(c.settings.contains_key("fetch.wait.max.ms"));
        assert!(!c.settings.contains_key("fetch.max.wait.ms"));
        assert!(!c.settings.contains_key("max.poll.records"));
        assert_eq!(c.settings["sasl.mechanisms"], "SCRAM-SHA-512");
        assert_eq!(c.settings["sasl.password"], "${KAFKA_SASL_PASSWORD}");
        assert!(c.settings.contains_key("ssl.ca.location"));
        let mut i = input(Role::Producer, KafkaDelivery::AtLeastOnce, Security::Oauth);
        i.client = Some(Client::Librdkafka);
        i.profile = Profile::HighThroughput;
        let c = generate(&facts(), &i).unwrap();
        assert_eq!(c.settings["queue.buffering.max.kbytes"], "131072");
        assert_eq!(c.settings["sasl.oauthbearer.method"], "oidc");
        let mut i = input(Role::Streams, KafkaDelivery::AtLeastOnce, Security::Oauth);
        i.client = Some(Client::Librdkafka);
        assert!(generate(&facts(), &i).is_err());
    }

    #[test]
    fn connect_workers_repeat_security_for_connector_clients() {
        let c = generate(
            &facts(),
            &input(Role::ConnectWorker, KafkaDelivery::ExactlyOnce, Security::SaslScram),
        )
        .unwrap();
        assert_eq!(c.settings["exactly.once.source.support"], "enabled");
        assert_eq!(c.settings["producer.security.protocol"], "SASL_SSL");
        assert_eq!(c.settings["consumer.sasl.mechanism"], "SCRAM-SHA-512");
        assert!(c.settings["admin.sasl.jaas.config"].contains("${env:KAFKA_SASL_PASSWORD}"));
    }

    #[test]
    fn regulated_and_air_gapped_tiers_hand_over_to_a_human() {
        let mut i = input(Role::Producer, KafkaDelivery::AtLeastOnce, Security::Mtls);
        i.tier = Tier::Regulated;
        let c = generate(&facts(), &i).unwrap();
        assert!(c.human_review[0].contains("Generate for review"));
        assert!(c.human_review.iter().any(|r| r.contains("hand the file to a human")));
        i.tier = Tier::AirGapped;
        let c = generate(&facts(), &i).unwrap();
        assert!(c.human_review.iter().any(|r| r.starts_with("Air-gapped")));
        i.tier = Tier::CloudNative;
        let c = generate(&facts(), &i).unwrap();
        assert!(c.human_review[0].contains("Deploy to dev"));
    }
}
