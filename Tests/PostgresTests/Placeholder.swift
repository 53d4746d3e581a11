import Testing

@Test func placeholder$RANDOM() { #expect(Bool(true)) }
