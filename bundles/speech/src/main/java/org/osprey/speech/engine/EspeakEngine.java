package org.osprey.speech.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osprey.api.speech.Audio;
import org.osprey.api.speech.SpeechException;
import org.osprey.api.speech.SpeechRequest;
import org.osprey.api.speech.SpeechSynthesizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline engine: espeak-ng from the operating system (Debian: {@code espeak-ng}), run once per
 * sentence with the text on its standard input and the WAV on its standard output. No network, about
 * 100 languages; robotic, but always there.
 */
@Component(service = SpeechSynthesizer.class, property = SpeechSynthesizer.ENGINE + "=" + EspeakEngine.NAME, configurationPid = "org.osprey.speech.espeak")
@Designate(ocd = EspeakEngine.Config.class)
public class EspeakEngine implements SpeechSynthesizer {

    public static final String NAME = "espeak-ng";
    private static final Logger LOG = LoggerFactory.getLogger(EspeakEngine.class);

    @ObjectClassDefinition(name = "Osprey speech: espeak-ng")
    public @interface Config {
        @AttributeDefinition(name = "Command", description = "the espeak-ng program")
        String command() default "espeak-ng";

        @AttributeDefinition(name = "Speed", min = "80", max = "450", description = "words per minute")
        int speed() default 150;
    }

    private final String command;
    private final int speed;
    private final Set<String> languages;

    @Activate
    public EspeakEngine(Config config) {
        this.command = config.command();
        this.speed = config.speed();
        this.languages = languages(command);
        if (languages.isEmpty()) {
            LOG.warn("{} is not installed or lists no voices (Debian: apt-get install espeak-ng); the offline engine cannot speak", command);
        }
    }

    /** The language tags of the installed voices ({@code espeak-ng --voices}, second column). */
    static Set<String> languages(String command) {
        Set<String> tags = new HashSet<>();
        try {
            Process p = new ProcessBuilder(command, "--voices").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            for (String line : out.lines().skip(1).toList()) {
                String[] cols = line.strip().split("\\s+");
                if (cols.length > 1) {
                    // "en-gb" also speaks "en": espeak-ng picks a voice for a bare language
                    String tag = cols[1].toLowerCase(Locale.ROOT);
                    tags.add(tag);
                    tags.add(tag.split("-")[0]);
                }
            }
        } catch (IOException e) {
            // not installed: no languages
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return tags;
    }

    @Override
    public boolean supports(Locale locale) {
        return languages.contains(locale.toLanguageTag().toLowerCase(Locale.ROOT)) || languages.contains(locale.getLanguage());
    }

    @Override
    public Audio synthesize(SpeechRequest request) throws SpeechException {
        if (!supports(request.locale())) {
            throw new SpeechException(NAME + " has no voice for " + request.locale().toLanguageTag()
                    + (languages.isEmpty() ? " (is espeak-ng installed?)" : ""));
        }
        String voice = request.voice() != null ? request.voice()
                : languages.contains(request.locale().toLanguageTag().toLowerCase(Locale.ROOT)) ? request.locale().toLanguageTag() : request.locale().getLanguage();
        List<String> cmd = List.of(command, "-v", voice, "-s", Integer.toString(speed), "--stdout");
        try {
            Process p = new ProcessBuilder(cmd).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(request.text().getBytes(StandardCharsets.UTF_8));
            }
            byte[] wav;
            try (InputStream out = p.getInputStream()) {
                wav = out.readAllBytes();
            }
            String errors = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SpeechException(NAME + " did not finish within 30 s");
            }
            if (p.exitValue() != 0 || wav.length <= 44) {
                throw new SpeechException(NAME + " failed (exit " + p.exitValue() + "): " + errors);
            }
            return new Audio(Audio.WAV, ByteBuffer.wrap(Wav.fixSizes(wav)));
        } catch (IOException e) {
            throw new SpeechException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpeechException("interrupted", e);
        }
    }
}
