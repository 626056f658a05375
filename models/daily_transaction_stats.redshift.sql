-- depends_on: enriched_transactions
-- (Postgres has daily_transaction_stats.sql, which sums per-block rows; this is the same table recomputed from the transactions.)
-- description: transactions, failures, contract creations, gas and fees per UTC day. A range recomputes every day it touches from all loaded rows, so ranges may load in any order.
CREATE TABLE IF NOT EXISTS daily_transaction_stats (
    day                     DATE NOT NULL,
    blocks                  BIGINT NOT NULL,
    transactions            BIGINT NOT NULL,
    failed_transactions     BIGINT NOT NULL,
    contract_creations      BIGINT NOT NULL,
    gas_used                BIGINT NOT NULL,
    fees_wei                NUMERIC(38,0) NOT NULL,
    average_gas_price_wei   NUMERIC(38,0)
);

DELETE FROM daily_transaction_stats
WHERE day >= (SELECT CAST(min(block_timestamp) AS DATE) FROM enriched_transactions WHERE block_number BETWEEN :first_block AND :last_block)
  AND day <= (SELECT CAST(max(block_timestamp) AS DATE) FROM enriched_transactions WHERE block_number BETWEEN :first_block AND :last_block);

INSERT INTO daily_transaction_stats
    (day, blocks, transactions, failed_transactions, contract_creations, gas_used, fees_wei, average_gas_price_wei)
SELECT
    CAST(block_timestamp AS DATE),
    count(DISTINCT block_number),
    count(*),
    sum(CASE WHEN receipt_status = 0 THEN 1 ELSE 0 END),
    sum(CASE WHEN receipt_contract_address IS NOT NULL THEN 1 ELSE 0 END),
    sum(receipt_gas_used),
    sum(CAST(receipt_gas_used AS NUMERIC(38,0)) * receipt_effective_gas_price),
    CAST(avg(gas_price) AS NUMERIC(38,0))
FROM enriched_transactions
WHERE block_timestamp >= (SELECT CAST(min(block_timestamp) AS DATE) FROM enriched_transactions WHERE block_number BETWEEN :first_block AND :last_block)
  AND block_timestamp < (SELECT CAST(max(block_timestamp) AS DATE) FROM enriched_transactions WHERE block_number BETWEEN :first_block AND :last_block) + INTERVAL '1 day'
GROUP BY CAST(block_timestamp AS DATE);
