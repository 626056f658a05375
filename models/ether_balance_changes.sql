-- depends_on: enriched_transactions
-- requires: traces
-- concurrent: true
-- description: net ether change per address per block as a double-entry book (ethereum-etl-airflow's balances): value moved by successful traces (calls, creates, self-destructs, rewards), fees paid by senders, priority fees earned by miners. Summed over all blocks, it is each address's balance.
CREATE TABLE IF NOT EXISTS ether_balance_changes (
    block_number   BIGINT NOT NULL,
    address        VARCHAR(42) NOT NULL,
    value_change   NUMERIC(38,0) NOT NULL
);

-- The range's delete finds its rows by this index, not by reading the whole table.
CREATE INDEX IF NOT EXISTS ether_balance_changes_block_number_idx ON ether_balance_changes (block_number);

DELETE FROM ether_balance_changes WHERE block_number BETWEEN :first_block AND :last_block;

INSERT INTO ether_balance_changes (block_number, address, value_change)
SELECT block_number, address, sum(amount)
FROM (
    -- credits: ether received through a successful trace that moves value
    SELECT block_number, to_address AS address, value AS amount
    FROM traces
    WHERE block_number BETWEEN :first_block AND :last_block
      AND to_address IS NOT NULL AND status = 1 AND value > 0
      AND (call_type IS NULL OR call_type NOT IN ('delegatecall', 'callcode', 'staticcall'))
    UNION ALL
    -- debits: the same ether leaving its sender
    SELECT block_number, from_address, -value
    FROM traces
    WHERE block_number BETWEEN :first_block AND :last_block
      AND from_address IS NOT NULL AND status = 1 AND value > 0
      AND (call_type IS NULL OR call_type NOT IN ('delegatecall', 'callcode', 'staticcall'))
    UNION ALL
    -- debits: every transaction's sender pays its gas and blob gas
    SELECT block_number, from_address,
           -(CAST(receipt_gas_used AS NUMERIC(38,0)) * receipt_effective_gas_price
             + CAST(COALESCE(receipt_blob_gas_used, 0) AS NUMERIC(38,0)) * COALESCE(receipt_blob_gas_price, 0))
    FROM enriched_transactions
    WHERE block_number BETWEEN :first_block AND :last_block
    UNION ALL
    -- credits: the miner earns what is paid above the (burnt) base fee
    SELECT e.block_number, b.miner,
           CAST(e.receipt_gas_used AS NUMERIC(38,0)) * (e.receipt_effective_gas_price - COALESCE(b.base_fee_per_gas, 0))
    FROM enriched_transactions AS e
    JOIN blocks AS b ON b.number = e.block_number
    WHERE e.block_number BETWEEN :first_block AND :last_block
      AND b.number BETWEEN :first_block AND :last_block
) AS book
GROUP BY block_number, address
HAVING sum(amount) <> 0;
