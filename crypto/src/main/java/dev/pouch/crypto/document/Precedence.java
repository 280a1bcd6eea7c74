package dev.pouch.crypto.document;

/** Precedence (紧急程度): drives broker priority and display. */
public enum Precedence {
    ROUTINE("平件", 4),
    URGENT("加急", 7),
    FLASH("特急", 9);

    private final String chineseName;
    private final int brokerPriority;

    Precedence(String chineseName, int brokerPriority) {
        this.chineseName = chineseName;
        this.brokerPriority = brokerPriority;
    }

    public String chineseName() {
        return chineseName;
    }

    /** JMS priority (0..9) used when the document is queued. */
    public int brokerPriority() {
        return brokerPriority;
    }
}
