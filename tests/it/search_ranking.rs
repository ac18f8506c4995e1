//! Search quality over the embedded skill: queries written the way an engineer types them
//! (short, keyword-ish, config names, some misspelt), each with the section that should rank
//! first. Where two sections answer a query equally well, both are accepted.

use std::sync::Arc;

use streaming_skill::library::SkillLibrary;
use streaming_skill::skill::Skill;

/// (query, accepted "document#section" answers). Misses are printed; see the test's floor.
const CASES: &[(&str, &[&str])] = &[
    (
        "how do I stop zombie producers in kafka transactions",
        &["kafka-deep-dive#transactionalid-producer-epochs-and-zombie-fencing"],
    ),
    (
        "consumer lag in time not messages",
        &["kafka-deep-dive#computing-consumer-lag-in-messages-and-in-time"],
    ),
    (
        "cooperative sticky assignor rebalance",
        &["kafka-deep-dive#eager-vs-cooperative-rebalancing-cooperativestickyassignor"],
    ),
    (
        "static membership group.instance.id",
        &["kafka-deep-dive#static-membership-with-groupinstanceid"],
    ),
    (
        "connect dead letter queue errors.tolerance",
        &["kafka-deep-dive#error-handling-and-dead-letter-queues"],
    ),
    (
        "exactly_once_v2 kafka streams",
        &["kafka-deep-dive#kafka-streams-processingguaranteeexactly_once_v2"],
    ),
    (
        "sasl scram jaas config",
        &[
            "kafka-deep-dive#saslscram-sha-512-client-configuration-with-jaas",
            "security-compliance-patterns#saslscram",
        ],
    ),
    (
        "kafka-acls for a transactional producer",
        &[
            "kafka-deep-dive#least-privilege-acls-with-kafka-aclssh",
            "security-compliance-patterns#kafka-acls",
        ],
    ),
    (
        "linger.ms batch.size compression",
        &["kafka-deep-dive#producer-batching-compression-and-buffermemory"],
    ),
    (
        "how many partitions should my topic have",
        &["kafka-deep-dive#partition-count-sizing"],
    ),
    (
        "min.insync.replicas unclean leader election",
        &["kafka-deep-dive#isr-mininsyncreplicas-and-unclean-leader-election"],
    ),
    (
        "remove a required field from an avro schema",
        &["kafka-deep-dive#removing-a-required-field-multi-phase-migration"],
    ),
    (
        "subject naming strategy RecordNameStrategy",
        &["kafka-deep-dive#subjects-and-subject-naming-strategies"],
    ),
    (
        "flink watermark idleness withIdleness",
        &["flink-spark-streaming#watermarkstrategy-bounded-out-of-orderness-timestamp-assigner-idleness"],
    ),
    (
        "late events side output flink",
        &["flink-spark-streaming#late-data-allowedlateness-and-side-outputs-outputtag-sideoutputlatedata"],
    ),
    (
        "flink sql HOP window tvf",
        &["flink-spark-streaming#window-tvfs-tumble-hop-cumulate-session"],
    ),
    (
        "temporal join versioned table FOR SYSTEM_TIME AS OF",
        &["flink-spark-streaming#temporal-joins-against-versioned-tables-for-system_time-as-of"],
    ),
    (
        "rocksdb vs heap state backend",
        &["flink-spark-streaming#state-backends-hashmap-heap-vs-rocksdb-vs-forst-flink-2x"],
    ),
    (
        "savepoint vs checkpoint difference",
        &["flink-spark-streaming#checkpoints-vs-savepoints-ownership-formats-cli"],
    ),
    (
        "flink kafka sink transaction timeout exactly once",
        &["flink-spark-streaming#kafkasink-exactly_once-transactional-id-prefix-and-transaction-timeouts"],
    ),
    (
        "flink kubernetes operator upgrade with savepoint",
        &["flink-spark-streaming#flink-kubernetes-operator-flinkdeployment-with-savepoint-upgrades"],
    ),
    (
        "spark availableNow trigger",
        &["flink-spark-streaming#triggers-default-micro-batch-processingtime-availablenow-continuous-real-time-mode"],
    ),
    (
        "spark output mode append vs update",
        &["flink-spark-streaming#output-modes-append-update-complete-and-which-queries-allow-them"],
    ),
    (
        "foreachBatch idempotent writes batchId",
        &["flink-spark-streaming#idempotent-foreachbatch-writes-with-batchid-delta-merge-txnappidtxnversion"],
    ),
    (
        "spark rocksdb state store changelog checkpointing",
        &["flink-spark-streaming#rocksdb-state-store-provider-and-changelog-checkpointing"],
    ),
    (
        "dropDuplicatesWithinWatermark",
        &["flink-spark-streaming#stateful-operators-aggregation-dropduplicateswithinwatermark-stream-stream-joins"],
    ),
    (
        "snowpipe s3 event notification sqs",
        &["warehouse-streaming-ingestion#cloud-event-notifications-s3-to-sqs-gcs-pubsub-azure-event-grid"],
    ),
    (
        "snowpipe streaming offset token recovery after restart",
        &["warehouse-streaming-ingestion#exactly-once-recovery-with-getlatestcommittedoffsettoken"],
    ),
    (
        "dynamic table target lag downstream",
        &["warehouse-streaming-ingestion#target-lag-semantics-and-downstream-chaining"],
    ),
    (
        "why does my dynamic table do a full refresh",
        &["warehouse-streaming-ingestion#incremental-vs-full-refresh-and-adaptive-what-prevents-incremental-refresh"],
    ),
    (
        "bigquery storage write api committed vs pending stream",
        &["warehouse-streaming-ingestion#write-stream-types-default-committed-pending-buffered"],
    ),
    (
        "insertAll vs storage write api",
        &["warehouse-streaming-ingestion#storage-write-api-vs-legacy-tabledatainsertall"],
    ),
    (
        "bigquery continuous query export to pubsub",
        &["warehouse-streaming-ingestion#continuous-queries-appends-insert-and-export-data-to-pubsub-bigtable-spanner"],
    ),
    (
        "TopologyTestDriver junit test",
        &["stream-testing-patterns#kafka-streams-topologytestdriver-complete-junit-5-test"],
    ),
    (
        "toxiproxy network partition test",
        &["stream-testing-patterns#network-partitions-and-latency-with-toxiproxy-toxiproxycontainer"],
    ),
    (
        "reset consumer group offsets to a datetime",
        &["stream-testing-patterns#resetting-consumer-group-offsets-by-time-and-offsetsfortimes"],
    ),
    (
        "dual run shadow pipeline diff",
        &["stream-testing-patterns#dual-run-comparison-shadow-pipeline-and-output-diff-with-late-data-tolerance"],
    ),
    (
        "schema compatibility check in CI maven plugin",
        &["stream-testing-patterns#registry-compatibility-checks-in-ci-maven-plugin-test-compatibility"],
    ),
    // Misspelt.
    (
        "idempotant producer max in flight",
        &["kafka-deep-dive#idempotent-producer-enableidempotence-and-maxinflightrequestsperconnection"],
    ),
    (
        "chekpoint interval unaligned",
        &["flink-spark-streaming#checkpoint-interval-sizing-and-unaligned-checkpoints"],
    ),
    (
        "rebalnce storm",
        &["kafka-deep-dive#rebalance-storms-diagnosis-and-fixes"],
    ),
    (
        "snowpipe dedupliction 14 days",
        &["warehouse-streaming-ingestion#snowpipe-deduplication-14-day-pipe-load-history-vs-64-day-copy-metadata"],
    ),
    (
        "kafak connect exactly once source connector",
        &["kafka-deep-dive#exactly-once-source-connectors-kip-618"],
    ),
    (
        "watermarking strategy bounded out of orderness",
        &["flink-spark-streaming#watermarkstrategy-bounded-out-of-orderness-timestamp-assigner-idleness"],
    ),
    // The skill's own decision tables.
    (
        "which architecture for fraud detection alerting",
        &["SKILL.md#architecture-decision-matrix"],
    ),
    (
        "alert threshold partition skew backpressure ratio",
        &["SKILL.md#monitoring-thresholds"],
    ),
    (
        "tumbling sliding session global window patterns",
        &[
            "SKILL.md#windowing-patterns",
            "flink-spark-streaming#window-assigners-tumbling-sliding-session-global-with-triggers",
        ],
    ),
    (
        "mtls client certificate ssl.client.auth",
        &[
            "kafka-deep-dive#mutual-tls-mtls-configuration",
            "security-compliance-patterns#mutual-tls-mtls",
        ],
    ),
    (
        "crypto shredding right to erasure kafka",
        &["security-compliance-patterns#erasure-in-immutable-logs-crypto-shredding"],
    ),
    (
        "snowflake masking policy for pii",
        &["security-compliance-patterns#masking-in-the-warehouse"],
    ),
    (
        "what may the agent do in an air-gapped environment",
        &["security-compliance-patterns#tier-3-air-gapped"],
    ),
];

#[test]
fn the_right_section_ranks_first() {
    let library = SkillLibrary::new(vec![Arc::new(Skill::embedded().expect("embedded skill"))]);
    let mut misses = Vec::new();
    for (query, accepted) in CASES {
        let reply = library.search(query, Some(5), None, None, None).expect("search");
        let ranked: Vec<String> = reply
            .hits
            .iter()
            .map(|h| format!("{}#{}", h.document, h.section))
            .collect();
        let position = ranked.iter().position(|r| accepted.contains(&r.as_str()));
        if position != Some(0) {
            misses.push(format!(
                "{query:?}: expected {accepted:?} first, got rank {position:?} in {ranked:#?}"
            ));
        }
    }
    let hits = CASES.len() - misses.len();
    println!(
        "search ranking: {hits} of {} queries rank the right section first",
        CASES.len()
    );
    for miss in &misses {
        println!("miss: {}", miss.lines().next().unwrap_or_default());
    }
    // At least 30 queries, and at least 80% of all, must put the right section first.
    assert!(
        hits >= 30 && hits * 100 >= CASES.len() * 80,
        "only {hits} of {} right:\n{}",
        CASES.len(),
        misses.join("\n")
    );
}

/// Questions about the topics added in session 4 (CDC and lakehouse sinks, Kafka operations and
/// DR, the Flink and Spark additions, schema formats beyond Avro), typed as an engineer would,
/// with the sections that answer them. Written by the session that merged those documents, so
/// this is a regression guard, not a blind figure (BENCHMARKS.md keeps those).
const NEW_TOPIC_CASES: &[(&str, &[&str])] = &[
    (
        "postgres disk filling up wal since debezium",
        &["cdc-and-lakehouse-sinks#replication-slots-and-wal-retention-risk"],
    ),
    (
        "debezium re-snapshot one table without restarting connector",
        &["cdc-and-lakehouse-sinks#signals-and-incremental-snapshots"],
    ),
    (
        "publish events reliably from microservice outbox",
        &["cdc-and-lakehouse-sinks#the-outbox-pattern-with-the-outbox-event-router"],
    ),
    (
        "flink iceberg sink too many small files",
        &["cdc-and-lakehouse-sinks#small-files-and-compaction-rewrite_data_files-and-friends"],
    ),
    (
        "duplicate rows in delta after streaming restart",
        &[
            "cdc-and-lakehouse-sinks#idempotent-foreachbatch-writes-with-txnappid-and-txnversion",
            "flink-spark-streaming#idempotent-foreachbatch-writes-with-batchid-delta-merge-txnappidtxnversion",
        ],
    ),
    (
        "kafka as a work queue more consumers than partitions",
        &[
            "kafka-operations-and-dr#share-groups-queues-for-kafka-kip-932",
            "kafka-operations-and-dr#share-group-or-consumer-group",
        ],
    ),
    (
        "share group acknowledge release reject delivery count",
        &["kafka-operations-and-dr#acknowledgement-types-delivery-counts-and-acquisition-locks"],
    ),
    (
        "compacted topic tombstone deleted key comes back",
        &["kafka-operations-and-dr#tombstones-and-deleteretentionms"],
    ),
    (
        "move old segments to s3 tiered storage",
        &[
            "kafka-operations-and-dr#tiered-storage-kip-405",
            "kafka-operations-and-dr#topic-configuration-local-and-total-retention",
        ],
    ),
    (
        "mirrormaker 2 consumer offsets after failover",
        &[
            "kafka-operations-and-dr#mirrormaker-2-offset-translation-and-group-offset-sync",
            "kafka-operations-and-dr#failover-and-failback-with-mirrormaker-2",
        ],
    ),
    (
        "active active vs active passive kafka regions rpo rto",
        &[
            "kafka-operations-and-dr#active-active-vs-active-passive",
            "kafka-operations-and-dr#dr-topology",
        ],
    ),
    (
        "kafka streams dead letter queue deserialization error",
        &["kafka-operations-and-dr#dead-letter-queue-for-kafka-streams-kip-1034"],
    ),
    (
        "group.protocol=streams migration kafka streams",
        &[
            "kafka-operations-and-dr#migrating-a-streams-application-to-a-streams-group",
            "kafka-operations-and-dr#streams-rebalance-protocol-kip-1071-groupprotocolstreams",
        ],
    ),
    (
        "transaction.version kafka 4 producer epoch",
        &["kafka-operations-and-dr#server-side-defence-epoch-bump-per-transaction-and-transactionversion"],
    ),
    (
        "flink sql match_recognize pattern detection",
        &["flink-spark-streaming#match_recognize-for-pattern-detection-cep-in-sql"],
    ),
    (
        "flink async io lookup http service per record",
        &["flink-spark-streaming#async-io-for-external-lookups-asyncdatastream-capacity-timeout-retries"],
    ),
    (
        "forst disaggregated state remote storage",
        &["flink-spark-streaming#disaggregated-state-forst-and-the-async-state-api-flink-2x"],
    ),
    (
        "spark real-time mode latency trigger",
        &[
            "flink-spark-streaming#real-time-mode-spark-41-trigger-supported-queries-limits",
            "flink-spark-streaming#spark-trigger-choice",
        ],
    ),
    (
        "transformWithState timers ttl",
        &["flink-spark-streaming#transformwithstate-in-practice-timers-ttl-schema-evolution"],
    ),
    (
        "spark declarative pipelines streaming table",
        &["flink-spark-streaming#spark-declarative-pipelines-flows-streaming-tables-materialized-views-spark-41"],
    ),
    (
        "protobuf schema compatibility rules field number",
        &["kafka-deep-dive#protobuf-compatibility-rules"],
    ),
    (
        "which table format for a cdc sink iceberg delta paimon",
        &[
            "cdc-and-lakehouse-sinks#sink-table-format",
            "cdc-and-lakehouse-sinks#choosing-a-sink-table-format",
        ],
    ),
];

#[test]
fn new_topics_are_found_in_the_top_three() {
    let library = SkillLibrary::new(vec![Arc::new(Skill::embedded().expect("embedded skill"))]);
    let mut misses = Vec::new();
    for (query, accepted) in NEW_TOPIC_CASES {
        let reply = library.search(query, Some(3), None, None, None).expect("search");
        let ranked: Vec<String> = reply
            .hits
            .iter()
            .map(|h| format!("{}#{}", h.document, h.section))
            .collect();
        if !ranked.iter().any(|r| accepted.contains(&r.as_str())) {
            misses.push(format!("{query:?}: expected one of {accepted:?} in {ranked:?}"));
        }
    }
    let hits = NEW_TOPIC_CASES.len() - misses.len();
    println!("new topics: {hits} of {} in the top 3", NEW_TOPIC_CASES.len());
    assert!(hits * 100 >= NEW_TOPIC_CASES.len() * 90, "{}", misses.join("\n"));
}
