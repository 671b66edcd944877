package org.osprey.speech.azure;

import java.util.Locale;

/** The SSML document Azure speaks: the language, the voice, and the text escaped for XML. */
final class Ssml {

    private Ssml() {
    }

    static String of(String text, Locale language, String voice) {
        return "<speak version=\"1.0\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"" + escape(language.toLanguageTag()) + "\">"
                + "<voice name=\"" + escape(voice) + "\">" + escape(text) + "</voice></speak>";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
