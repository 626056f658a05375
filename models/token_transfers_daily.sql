-- depends_on: enriched_token_transfers
-- description: transfers, distinct senders and receivers, and volume (in the token's smallest unit) per token per UTC day. A range recomputes every day it touches.
CREATE TABLE IF NOT EXISTS token_transfers_daily (
    day            DATE NOT NULL,
    token_address  VARCHAR(42) NOT NULL,
    transfers      BIGINT NOT NULL,
    senders        BIGINT NOT NULL,
    receivers      BIGINT NOT NULL,
    -- Unbounded: one value fits NUMERIC(78,0), but a day's sum of values near 2^256 (spam tokens
    -- send uint256 max) does not.
    volume         NUMERIC NOT NULL
);
-- Tables made by earlier versions had NUMERIC(78,0); widening is a catalog change, no rewrite.
ALTER TABLE token_transfers_daily ALTER COLUMN volume TYPE NUMERIC;
CREATE INDEX IF NOT EXISTS token_transfers_daily_day_idx ON token_transfers_daily (day, token_address);

-- Who sent (sender) and received (NOT sender) each token in each block, with the block's transfers
-- and volume on the sender rows: what each block adds to its day's row. A range's run changes the
-- days by what its blocks add now less what they added before, instead of recounting the days'
-- distinct senders and receivers from every transfer of the day (hundreds of thousands of rows
-- per range on a busy chain): an address counts for a day when a block of it has a row here.
CREATE TABLE IF NOT EXISTS token_transfers_daily_addresses (
    block_number   BIGINT NOT NULL,
    day            DATE NOT NULL,
    token_address  TEXT NOT NULL,
    address        TEXT,
    sender         BOOLEAN NOT NULL,
    transfers      BIGINT NOT NULL,
    volume         NUMERIC NOT NULL
);
CREATE INDEX IF NOT EXISTS token_transfers_daily_addresses_block_number_idx ON token_transfers_daily_addresses (block_number);
CREATE INDEX IF NOT EXISTS token_transfers_daily_addresses_address_idx ON token_transfers_daily_addresses (address, token_address, day, sender, block_number);

-- A warehouse modelled by an earlier version has no rows here yet: the first run adds them for
-- every other loaded block and recomputes the days from them, then adds its range as any run does.
DELETE FROM token_transfers_daily WHERE NOT EXISTS (SELECT 1 FROM token_transfers_daily_addresses);

INSERT INTO token_transfers_daily_addresses (block_number, day, token_address, address, sender, transfers, volume)
SELECT block_number, CAST(block_timestamp AS DATE), token_address, from_address, TRUE, count(*), sum(value)
FROM enriched_token_transfers
WHERE (block_number < :first_block OR block_number > :last_block)
  AND NOT EXISTS (SELECT 1 FROM token_transfers_daily_addresses)
GROUP BY block_number, CAST(block_timestamp AS DATE), token_address, from_address
UNION ALL
SELECT block_number, CAST(block_timestamp AS DATE), token_address, to_address, FALSE, 0, 0
FROM enriched_token_transfers
WHERE (block_number < :first_block OR block_number > :last_block)
  AND NOT EXISTS (SELECT 1 FROM token_transfers_daily_addresses)
GROUP BY block_number, CAST(block_timestamp AS DATE), token_address, to_address;

INSERT INTO token_transfers_daily (day, token_address, transfers, senders, receivers, volume)
SELECT day, token_address, sum(transfers),
       count(DISTINCT CASE WHEN sender THEN address END), count(DISTINCT CASE WHEN NOT sender THEN address END), sum(volume)
FROM token_transfers_daily_addresses
WHERE NOT EXISTS (SELECT 1 FROM token_transfers_daily)
GROUP BY day, token_address;

-- The change per (day, token): the range's rows are replaced, and each address of the range that
-- has a row now but none before (or the other way round), and none in a block outside the range,
-- adds one sender or receiver (or takes one away). The EXISTS reads the table as it was before
-- this statement, outside the range: the data-modifying CTEs change it only when it ends.
CREATE TEMP TABLE IF NOT EXISTS token_transfers_daily_change (
    day            DATE NOT NULL,
    token_address  TEXT NOT NULL,
    transfers      BIGINT NOT NULL,
    senders        BIGINT NOT NULL,
    receivers      BIGINT NOT NULL,
    volume         NUMERIC NOT NULL
) ON COMMIT DROP;

WITH old_rows AS (
    DELETE FROM token_transfers_daily_addresses
    WHERE block_number BETWEEN :first_block AND :last_block
    RETURNING day, token_address, address, sender, transfers, volume
), new_rows AS (
    INSERT INTO token_transfers_daily_addresses (block_number, day, token_address, address, sender, transfers, volume)
    SELECT block_number, CAST(block_timestamp AS DATE), token_address, from_address, TRUE, count(*), sum(value)
    FROM enriched_token_transfers
    WHERE block_number BETWEEN :first_block AND :last_block
    GROUP BY block_number, CAST(block_timestamp AS DATE), token_address, from_address
    UNION ALL
    SELECT block_number, CAST(block_timestamp AS DATE), token_address, to_address, FALSE, 0, 0
    FROM enriched_token_transfers
    WHERE block_number BETWEEN :first_block AND :last_block
    GROUP BY block_number, CAST(block_timestamp AS DATE), token_address, to_address
    RETURNING day, token_address, address, sender, transfers, volume
), addresses AS (
    SELECT day, token_address, address, sender, bool_or(was) AS had, bool_or(NOT was) AS has,
           sum(transfers) AS transfers, sum(volume) AS volume
    FROM (SELECT day, token_address, address, sender, TRUE AS was, -transfers AS transfers, -volume AS volume FROM old_rows
          UNION ALL
          SELECT day, token_address, address, sender, FALSE, transfers, volume FROM new_rows) AS changed
    GROUP BY day, token_address, address, sender
), counted AS (
    SELECT a.day, a.token_address, a.sender, a.transfers, a.volume,
           CASE WHEN a.address IS NULL OR a.had = a.has
                     OR EXISTS (SELECT 1 FROM token_transfers_daily_addresses AS o
                                WHERE o.address = a.address AND o.token_address = a.token_address AND o.day = a.day AND o.sender = a.sender
                                  AND (o.block_number < :first_block OR o.block_number > :last_block))
                THEN 0 WHEN a.has THEN 1 ELSE -1 END AS change
    FROM addresses AS a
)
INSERT INTO token_transfers_daily_change (day, token_address, transfers, senders, receivers, volume)
SELECT day, token_address, sum(transfers),
       sum(CASE WHEN sender THEN change ELSE 0 END), sum(CASE WHEN sender THEN 0 ELSE change END), sum(volume)
FROM counted
GROUP BY day, token_address;

UPDATE token_transfers_daily AS d
SET transfers = d.transfers + c.transfers, senders = d.senders + c.senders,
    receivers = d.receivers + c.receivers, volume = d.volume + c.volume
FROM token_transfers_daily_change AS c
WHERE d.day = c.day AND d.token_address = c.token_address;

INSERT INTO token_transfers_daily (day, token_address, transfers, senders, receivers, volume)
SELECT c.day, c.token_address, c.transfers, c.senders, c.receivers, c.volume
FROM token_transfers_daily_change AS c
WHERE c.transfers <> 0
  AND NOT EXISTS (SELECT 1 FROM token_transfers_daily AS d WHERE d.day = c.day AND d.token_address = c.token_address);

-- A day and token the range alone had, and no longer has.
DELETE FROM token_transfers_daily AS d
USING token_transfers_daily_change AS c
WHERE d.day = c.day AND d.token_address = c.token_address AND d.transfers = 0;
