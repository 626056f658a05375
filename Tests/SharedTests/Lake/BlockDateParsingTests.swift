// Dates as users type them: strict YYYY-MM-DD, real days only, and the UTC seconds that bound them.

import Foundation
import Testing
@testable import Shared

@Suite("block dates from text")
struct BlockDateParsingTests {
    @Test("YYYY-MM-DD parses to the day whose text it is, leap days included; the day spans 00:00:00…23:59:59 UTC")
    func parses() throws {
        for days in stride(from: Int64(-719_162), through: 2_932_896, by: 997) + [0, -1, 11_016, 19_723, 19_782, 2_932_896] {
            let date = BlockDate(days: days)  // years 0001…9999, the four digits the text has
            #expect(BlockDate(parsing: date.description) == date, "\(date)")
        }
        let january1 = try #require(BlockDate(parsing: "2024-01-01"))
        #expect(january1.firstSecond == 1_704_067_200 && january1.lastSecond == 1_704_153_599)
        #expect(BlockDate(parsing: "2024-02-29") != nil && BlockDate(parsing: "2000-02-29") != nil)
        #expect(BlockDate.utcText(1_704_153_599) == "2024-01-01 23:59:59 UTC")
    }

    @Test("anything else is refused: other layouts, days that do not exist, stray characters")
    func refuses() {
        for text in ["2024-1-01", "2024/01/01", "20240101", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
                     "2023-02-29", "1900-02-29", "2024-04-31", " 2024-01-01", "2024-01-01T00", "yyyy-mm-dd", "", "+024-01-01"] {
            #expect(BlockDate(parsing: text) == nil, "'\(text)'")
        }
    }
}
