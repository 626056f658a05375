-- depends_on: enriched_transactions
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

-- The same figures per block (blocks with transactions only), which the days are summed from: a
-- day is at most 7,200 of these rows, where it is hundreds of thousands of transactions, so a
-- range's run costs what the range holds, not what its days hold. gas_price_wei and
-- priced_transactions are the sum and count of the block's gas prices (the day's average is the
-- quotient of their sums, as avg() over the day's transactions is).
CREATE TABLE IF NOT EXISTS daily_transaction_stats_blocks (
    block_number            BIGINT NOT NULL,
    day                     DATE NOT NULL,
    transactions            BIGINT NOT NULL,
    failed_transactions     BIGINT NOT NULL,
    contract_creations      BIGINT NOT NULL,
    gas_used                BIGINT NOT NULL,
    fees_wei                NUMERIC(38,0) NOT NULL,
    gas_price_wei           NUMERIC,
    priced_transactions     BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS daily_transaction_stats_blocks_block_number_idx ON daily_transaction_stats_blocks (block_number);
CREATE INDEX IF NOT EXISTS daily_transaction_stats_blocks_day_idx ON daily_transaction_stats_blocks (day);

-- A warehouse modelled by an earlier version has no per-block rows yet: the first run adds them
-- for every other loaded block, so the days below are summed from all of them.
INSERT INTO daily_transaction_stats_blocks
    (block_number, day, transactions, failed_transactions, contract_creations, gas_used, fees_wei, gas_price_wei, priced_transactions)
SELECT
    block_number,
    CAST(block_timestamp AS DATE),
    count(*),
    sum(CASE WHEN receipt_status = 0 THEN 1 ELSE 0 END),
    sum(CASE WHEN receipt_contract_address IS NOT NULL THEN 1 ELSE 0 END),
    sum(receipt_gas_used),
    sum(CAST(receipt_gas_used AS NUMERIC(38,0)) * receipt_effective_gas_price),
    sum(gas_price),
    count(gas_price)
FROM enriched_transactions
WHERE (block_number < :first_block OR block_number > :last_block)
  AND NOT EXISTS (SELECT 1 FROM daily_transaction_stats_blocks)
GROUP BY block_number, CAST(block_timestamp AS DATE);

DELETE FROM daily_transaction_stats_blocks WHERE block_number BETWEEN :first_block AND :last_block;

INSERT INTO daily_transaction_stats_blocks
    (block_number, day, transactions, failed_transactions, contract_creations, gas_used, fees_wei, gas_price_wei, priced_transactions)
SELECT
    block_number,
    CAST(block_timestamp AS DATE),
    count(*),
    sum(CASE WHEN receipt_status = 0 THEN 1 ELSE 0 END),
    sum(CASE WHEN receipt_contract_address IS NOT NULL THEN 1 ELSE 0 END),
    sum(receipt_gas_used),
    sum(CAST(receipt_gas_used AS NUMERIC(38,0)) * receipt_effective_gas_price),
    sum(gas_price),
    count(gas_price)
FROM enriched_transactions
WHERE block_number BETWEEN :first_block AND :last_block
GROUP BY block_number, CAST(block_timestamp AS DATE);

-- The days the range's blocks fall on, from the blocks table's index on number (the minimum of an
-- enriched table's block_timestamp over a block range walks its timestamp index from the start).
DELETE FROM daily_transaction_stats
WHERE day >= (SELECT CAST(TIMESTAMP 'epoch' + min("timestamp") * INTERVAL '1 second' AS DATE) FROM blocks WHERE number BETWEEN :first_block AND :last_block)
  AND day <= (SELECT CAST(TIMESTAMP 'epoch' + max("timestamp") * INTERVAL '1 second' AS DATE) FROM blocks WHERE number BETWEEN :first_block AND :last_block);

INSERT INTO daily_transaction_stats
    (day, blocks, transactions, failed_transactions, contract_creations, gas_used, fees_wei, average_gas_price_wei)
SELECT
    day,
    count(*),
    sum(transactions),
    sum(failed_transactions),
    sum(contract_creations),
    sum(gas_used),
    sum(fees_wei),
    CAST(sum(gas_price_wei) / NULLIF(sum(priced_transactions), 0) AS NUMERIC(38,0))
FROM daily_transaction_stats_blocks
WHERE day >= (SELECT CAST(TIMESTAMP 'epoch' + min("timestamp") * INTERVAL '1 second' AS DATE) FROM blocks WHERE number BETWEEN :first_block AND :last_block)
  AND day <= (SELECT CAST(TIMESTAMP 'epoch' + max("timestamp") * INTERVAL '1 second' AS DATE) FROM blocks WHERE number BETWEEN :first_block AND :last_block)
GROUP BY day;
