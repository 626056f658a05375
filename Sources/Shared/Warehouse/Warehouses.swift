// Choosing the warehouse implementation for a configuration.

import Logging
import PostgresNIO

public enum Warehouses {
    public static func make(_ configuration: WarehouseConfiguration, client: PostgresClient, store: any StagingStore, logger: Logger) -> any Warehouse {
        switch configuration.dialect {
        case .postgres:
            return PostgresWarehouse(client: client, schema: configuration.schema, store: store, logger: logger)
        case .redshift:
            return RedshiftWarehouse(client: client, configuration: configuration, store: store, logger: logger)
        }
    }
}
