// The Grafana dashboards shipped in the chart query only metrics the code exports.

import Foundation
import Shared
import Testing

@Suite("Grafana dashboards")
struct DashboardTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("helm/blockfleet/dashboards")

    /// Every PromQL `expr` (or, with `sql`, every `rawSql`) in a dashboard, with its panel title.
    static func queries(in url: URL, sql: Bool = false) throws -> [(panel: String, expr: String)] {
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var found: [(String, String)] = []
        func walk(_ panels: [[String: Any]]) {
            for panel in panels {
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    if let expr = target[sql ? "rawSql" : "expr"] as? String { found.append((panel["title"] as? String ?? "?", expr)) }
                }
                walk(panel["panels"] as? [[String: Any]] ?? [])
            }
        }
        walk(dashboard["panels"] as? [[String: Any]] ?? [])
        return found
    }

    static func metricNames(in expr: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"\bblockfleet_[a-z0-9_]+"#)
        return regex.matches(in: expr, range: NSRange(expr.startIndex..., in: expr)).map { String(expr[Range($0.range, in: expr)!]) }
    }

    @Test("every dashboard query names only metric families the code declares, and at least one")
    func queriesNameExportedMetrics() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "json" }
        #expect(!files.isEmpty, "no dashboards in \(Self.folder.path)")
        let exported = FleetMetrics.seriesNames
        var panels = Set<String>()
        for file in files {
            let queries = try Self.queries(in: file)
            let sqlQueries = try Self.queries(in: file, sql: true)
            #expect(!queries.isEmpty || !sqlQueries.isEmpty, "\(file.lastPathComponent) has no queries")
            let warehouse = try String(contentsOf: file, encoding: .utf8).contains("\"${warehouse}\"")
            for (panel, sql) in sqlQueries where !warehouse {
                // Queue SQL panels read the queue_depth view, the stable interface (the jobs table may change).
                #expect(sql.contains("FROM queue_depth"), "\(file.lastPathComponent) / \(panel): '\(sql)' does not read queue_depth")
            }
            for (panel, sql) in sqlQueries where warehouse {
                // Warehouse panels read the models through the schema variable; the e2e model test runs them.
                #expect(sql.contains("${schema}."), "\(file.lastPathComponent) / \(panel): '\(sql)' does not name its tables through ${schema}")
            }
            for (panel, expr) in queries {
                panels.insert(panel)
                let names = Self.metricNames(in: expr)
                #expect(!names.isEmpty, "\(file.lastPathComponent) / \(panel): '\(expr)' names no blockfleet metric")
                for name in names {
                    #expect(exported.contains(name), "\(file.lastPathComponent) / \(panel): \(name) is not exported by the code")
                }
            }
        }
        // What the issue asks the dashboards to show.
        for wanted in ["Queue depth", "throughput", "Lag", "RPC latency", "RPC errors", "Workers", "Dead jobs"] {
            #expect(panels.contains { $0.localizedCaseInsensitiveContains(wanted) }, "no panel about \(wanted)")
        }
    }

    @Test("the check catches a query naming a metric the code does not export")
    func unknownMetricIsCaught() {
        let names = Self.metricNames(in: "sum(rate(blockfleet_made_up_total[5m])) / max(blockfleet_workers)")
        #expect(names == ["blockfleet_made_up_total", "blockfleet_workers"])
        #expect(!FleetMetrics.seriesNames.contains("blockfleet_made_up_total"))
        #expect(FleetMetrics.seriesNames.contains("blockfleet_rpc_request_duration_seconds_bucket"))
    }

    @Test("metric names follow Prometheus conventions: counters end in _total, families are unique")
    func namingConventions() {
        #expect(Set(FleetMetrics.families.map(\.name)).count == FleetMetrics.families.count)
        for family in FleetMetrics.families {
            #expect(family.name.hasPrefix("blockfleet_"))
            #expect((family.kind == .counter) == family.name.hasSuffix("_total"), "\(family.name)")
            #expect(!family.help.isEmpty)
        }
    }
}
