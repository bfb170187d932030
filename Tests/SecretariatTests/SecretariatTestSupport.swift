import Foundation
import Testing
@testable import Secretariat

// Placeholder replaced as the library's tests arrive; keeps the target buildable.
@Test func secretariatTargetBuilds() {
    #expect(ActionError("x").description == "x")
}
