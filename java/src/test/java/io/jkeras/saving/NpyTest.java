package io.jkeras.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.tensor.DType;
import io.jkeras.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy files as NumPy 1.24 wrote them (np.save / np.lib.format.write_array), and our own writer's. */
class NpyTest {
    @TempDir
    Path dir;

    /** np.arange(6, dtype=float32).reshape(2, 3) * 0.5 - 1 */
    static final float[] A = {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f};

    static Tensor npy(String base64) {
        return Npy.read(Base64.getDecoder().decode(base64), null);
    }

    @Test
    void numpyFloats() {
        String f4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIC/AAAAvwAAAAAAAAA/AACAPwAAwD8=";
        String f8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwvwAAAAAAAOC/AAAAAAAAAAAAAAAA"
                + "AADgPwAAAAAAAPA/AAAAAAAA+D8=";
        String fortran = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIC/AAAAPwAAAL8AAIA/AAAAAAAAwD8=";
        String big = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAq/gAAAvwAAAAAAAAA/AAAAP4AAAD/AAAA=";
        String v2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIC/AAAAvwAAAAAAAAA/AACAPwAAwD8=";
        String f2 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAvAC4AAAAOAA8AD4=";
        for (String s : new String[] {f4, f8, fortran, big, v2, f2}) {
            Tensor t = npy(s);
            assertEquals(DType.FLOAT32, t.dtype());
            assertArrayEquals(new long[] {2, 3}, t.shape());
            assertArrayEquals(A, t.toFloatArray(), 0f);
        }
        String scalar = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAACBA";
        Tensor s = npy(scalar);
        assertEquals(0, s.rank());
        assertEquals(2.5f, s.toFloatArray()[0], 0f);
    }

    @Test
    void numpyIntegers() {
        String i8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAAAAAAAP7/////////AwAAAAAAAAAEAAAAAAAAAA==";
        Tensor t = npy(i8);
        assertEquals(DType.INT32, t.dtype());
        assertArrayEquals(new int[] {1, -2, 3, 4}, t.toIntArray());
        String bool = "k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=";
        assertArrayEquals(new int[] {1, 0, 1}, npy(bool).toIntArray());
        String u1 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAyP8=";
        assertArrayEquals(new int[] {0, 200, 255}, npy(u1).toIntArray());
        String tooBig = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAEAAA==";
        assertTrue(assertThrows(KerasFileException.class, () -> npy(tooBig)).getMessage().contains("int32"));
    }

    @Test
    void roundTrip() throws Exception {
        Tensor f = Tensor.of(A, 3, 2);
        Path p = dir.resolve("a.npy");
        Npy.write(p, f);
        byte[] bytes = Files.readAllBytes(p);
        assertEquals(0, (bytes.length - 6 * 4) % 64, "header padded to 64 bytes as NumPy does");
        Tensor back = Npy.read(p);
        assertArrayEquals(f.shape(), back.shape());
        assertArrayEquals(A, back.toFloatArray(), 0f);
        Tensor i = Tensor.ofInts(new int[] {7, -8, 9}, 3);
        Npy.write(p, i);
        assertArrayEquals(new int[] {7, -8, 9}, Npy.read(p).toIntArray());
    }

    @Test
    void badFiles() throws Exception {
        Path p = dir.resolve("bad.npy");
        Files.write(p, "not numpy at all".getBytes());
        assertTrue(assertThrows(KerasFileException.class, () -> Npy.read(p)).getMessage().contains("magic"));
        Npy.write(p, Tensor.of(A, 2, 3));
        byte[] b = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(b, b.length - 3));
        String msg = assertThrows(KerasFileException.class, () -> Npy.read(p)).getMessage();
        assertTrue(msg.startsWith(p.toString()) && msg.contains("truncated"), msg);
        Files.write(p, java.util.Arrays.copyOf(b, 20));
        assertThrows(KerasFileException.class, () -> Npy.read(p));
    }
}
