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

DELETE FROM token_transfers_daily
WHERE day >= (SELECT CAST(min(block_timestamp) AS DATE) FROM enriched_token_transfers WHERE block_number BETWEEN :first_block AND :last_block)
  AND day <= (SELECT CAST(max(block_timestamp) AS DATE) FROM enriched_token_transfers WHERE block_number BETWEEN :first_block AND :last_block);

INSERT INTO token_transfers_daily (day, token_address, transfers, senders, receivers, volume)
SELECT
    CAST(block_timestamp AS DATE),
    token_address,
    count(*),
    count(DISTINCT from_address),
    count(DISTINCT to_address),
    sum(value)
FROM enriched_token_transfers
WHERE block_timestamp >= (SELECT CAST(min(block_timestamp) AS DATE) FROM enriched_token_transfers WHERE block_number BETWEEN :first_block AND :last_block)
  AND block_timestamp < (SELECT CAST(max(block_timestamp) AS DATE) FROM enriched_token_transfers WHERE block_number BETWEEN :first_block AND :last_block) + INTERVAL '1 day'
GROUP BY CAST(block_timestamp AS DATE), token_address;
