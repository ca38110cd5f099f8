package dev.ocitree.operators.tar;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ocitree.operators.OcitreeException;
import dev.ocitree.operators.StreamLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target: any bytes, cut into chunks of a size taken from the input, either parse or fail with
 * an {@link OcitreeException} (never another exception, a loop or a leaked buffer), and every
 * content byte belongs to an announced entry. The seed corpus ({@code TarParserFuzzTestInputs/})
 * runs as a regression test in every build; {@code JAZZER_FUZZ=1 mvn -pl operators test
 * -Dtest=TarParserFuzzTest} fuzzes (docs/reliability.md).
 */
class TarParserFuzzTest {

    private static final StreamLimits LIMITS = StreamLimits.defaults().maxHeaderBytes(1 << 16)
            .maxLayerBytes(1 << 24).maxLayerEntries(10_000);

    @FuzzTest(maxDuration = "30s")
    void anyBytesParseOrFailTyped(byte[] data) {
        int chunk = data.length == 0 ? 1 : 1 + (data[data.length - 1] & 0xff) * 7;
        TarPushParser parser = new TarPushParser(LIMITS);
        List<ByteBuf> fed = new ArrayList<>();
        long contentLeft = 0;
        try {
            for (int at = 0; at < data.length; at += chunk) {
                ByteBuf buf = Unpooled.directBuffer(Math.min(chunk, data.length - at))
                        .writeBytes(data, at, Math.min(chunk, data.length - at));
                fed.add(buf);
                parser.feed(buf);
                contentLeft = drain(parser, contentLeft);
            }
            parser.endOfInput();
            drain(parser, contentLeft);
        } catch (OcitreeException expected) {
            assertThat(parser.state()).isEqualTo(TarPushParser.State.BAD_ARCHIVE);
        }
        assertThat(fed).allSatisfy(b -> assertThat(b.refCnt()).as("fed chunk released").isZero());
    }

    private static long drain(TarPushParser parser, long contentLeft) {
        for (TarEvent e = parser.next(); e != null && e != TarPushParser.NEED_MORE_INPUT; e = parser.next()) {
            if (e instanceof TarEvent.Entry entry) {
                contentLeft = entry.entry().size();
            } else if (e instanceof TarEvent.Content c) {
                contentLeft -= c.data().readableBytes();
                assertThat(contentLeft).isNotNegative();
                c.release();
            }
        }
        return contentLeft;
    }
}
