package io.github.jring.nvme.pi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The guards' CRCs against published test vectors: CRC-64/NVME against the NVM Command Set specification's "64b CRC
 * Test Cases" (the four 4 KiB buffers Linux's crc64-rocksoft test also uses), CRC-16/T10-DIF against the five 32-byte
 * codewords of T10's End-to-end Data Protection proposal, CRC-32C against the specification's "32b CRC Test Cases"
 * (the same four buffers; SPDK's {@code crc32c_nvme} test uses them too), all against their catalogue check values,
 * CRC-32C against {@link java.util.zip.CRC32C} (same polynomial, initial value and final XOR), and the 16- and 64-bit
 * ones against a bit-at-a-time reference over random lengths and offsets (the table and the eight-byte reads must
 * agree with it).
 */
class GuardCrcTest {

    private static MemorySegment bytes(Arena arena, int size, java.util.function.IntUnaryOperator at) {
        MemorySegment s = arena.allocate(size);
        for (int i = 0; i < size; i++) {
            s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) at.applyAsInt(i));
        }
        return s;
    }

    @Test
    void crc64MatchesTheNvmCommandSetTestCases() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0x6482D367EB22B64EL, Crc64Nvme.compute(bytes(arena, 4096, i -> 0), 0, 4096), "4 KiB of 00h");
            assertEquals(0xC0DDBA7302ECA3ACL, Crc64Nvme.compute(bytes(arena, 4096, i -> 0xFF), 0, 4096), "4 KiB of FFh");
            assertEquals(0x3E729F5F6750449CL, Crc64Nvme.compute(bytes(arena, 4096, i -> i), 0, 4096), "incrementing");
            assertEquals(0x9A2DF64B8E9E517EL, Crc64Nvme.compute(bytes(arena, 4096, i -> 0xFF - i), 0, 4096),
                    "decrementing");
        }
    }

    @Test
    void crc32cMatchesTheNvmCommandSetTestCases() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0x98F94189, Crc32c.compute(bytes(arena, 4096, i -> 0), 0, 4096), "4 KiB of 00h");
            assertEquals(0x25C1FE13, Crc32c.compute(bytes(arena, 4096, i -> 0xFF), 0, 4096), "4 KiB of FFh");
            assertEquals(0x9C71FE32, Crc32c.compute(bytes(arena, 4096, i -> i), 0, 4096), "incrementing");
            assertEquals(0x214941A8, Crc32c.compute(bytes(arena, 4096, i -> 0xFF - i), 0, 4096), "decrementing");
        }
    }

    @Test
    void crc32cIsTheJdksCrc32c() {
        Random random = new Random(32);
        byte[] data = new byte[5000];
        random.nextBytes(data);
        MemorySegment s = MemorySegment.ofArray(data);
        for (int round = 0; round < 200; round++) {
            int off = random.nextInt(64);
            int len = random.nextInt(data.length - off);
            int split = len == 0 ? 0 : random.nextInt(len);
            java.util.zip.CRC32C jdk = new java.util.zip.CRC32C();
            jdk.update(data, off, len);
            assertEquals((int) jdk.getValue(), Crc32c.compute(s, off, len));
            assertEquals((int) jdk.getValue(), Crc32c.update(Crc32c.compute(s, off, split), s, off + split,
                    len - split), "chained");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeCopy = arena.allocate(data.length);
            MemorySegment.copy(s, 0, nativeCopy, 0, data.length);
            java.util.zip.CRC32C jdk = new java.util.zip.CRC32C();
            jdk.update(data, 3, 4093);
            assertEquals((int) jdk.getValue(), Crc32c.compute(nativeCopy, 3, 4093), "native memory");
        }
    }

    @Test
    void crc16MatchesTheT10Codewords() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0x0000, Crc16T10Dif.compute(bytes(arena, 32, i -> 0), 0, 32));
            assertEquals(0xA293, Crc16T10Dif.compute(bytes(arena, 32, i -> 0xFF), 0, 32));
            assertEquals(0x0224, Crc16T10Dif.compute(bytes(arena, 32, i -> i), 0, 32));
            assertEquals(0x21B8, Crc16T10Dif.compute(bytes(arena, 32, i -> i < 2 ? 0xFF : 0), 0, 32));
            assertEquals(0xA0B7, Crc16T10Dif.compute(bytes(arena, 32, i -> 0xFF - i), 0, 32));
        }
    }

    @Test
    void checkValues() {
        MemorySegment check = MemorySegment.ofArray("123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0xD0DB, Crc16T10Dif.compute(check, 0, 9));
        assertEquals(0xAE8B14860A799888L, Crc64Nvme.compute(check, 0, 9));
        assertEquals(0xE3069283, Crc32c.compute(check, 0, 9));
    }

    @Test
    void chainingAndOffsetsAgreeWithABitwiseReference() {
        Random random = new Random(17);
        byte[] data = new byte[5000];
        random.nextBytes(data);
        MemorySegment s = MemorySegment.ofArray(data);
        for (int round = 0; round < 200; round++) {
            int off = random.nextInt(64);
            int len = random.nextInt(data.length - off);
            int split = len == 0 ? 0 : random.nextInt(len);
            assertEquals(reference16(data, off, len), Crc16T10Dif.compute(s, off, len));
            assertEquals(reference16(data, off, len),
                    Crc16T10Dif.update(Crc16T10Dif.compute(s, off, split), s, off + split, len - split));
            assertEquals(reference64(data, off, len), Crc64Nvme.compute(s, off, len));
            assertEquals(reference64(data, off, len),
                    Crc64Nvme.update(Crc64Nvme.compute(s, off, split), s, off + split, len - split));
        }
    }

    private static int reference16(byte[] data, int off, int len) {
        int c = 0;
        for (int i = off; i < off + len; i++) {
            c ^= (data[i] & 0xFF) << 8;
            for (int b = 0; b < 8; b++) {
                c = (c & 0x8000) != 0 ? ((c << 1) ^ Crc16T10Dif.POLYNOMIAL) & 0xFFFF : (c << 1) & 0xFFFF;
            }
        }
        return c;
    }

    private static long reference64(byte[] data, int off, int len) {
        long c = -1;
        for (int i = off; i < off + len; i++) {
            c ^= data[i] & 0xFF;
            for (int b = 0; b < 8; b++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ Crc64Nvme.REFLECTED_POLYNOMIAL : c >>> 1;
            }
        }
        return ~c;
    }
}
