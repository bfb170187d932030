// PLACEHOLDER until the real converter lands.
public enum HTMLText {
    public static func plainText(fromHTML html: String) -> String { html }
}
