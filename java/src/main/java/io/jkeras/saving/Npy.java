package io.jkeras.saving;

import io.jkeras.tensor.DType;
import io.jkeras.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's .npy files (format versions 1, 2 and 3): floating-point arrays (float16/32/64) read as float32 tensors,
 * integer and boolean arrays as int32 tensors (values must fit); either byte order, C or Fortran order. Written
 * as version 1.0, little-endian, C order: float32 ('&lt;f4') or int32 ('&lt;i4').
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KerasFileException(file, "no such file");
        } catch (IOException e) {
            throw new KerasFileException(file, "cannot read: " + e, e);
        }
        return read(bytes, file);
    }

    /** An array from the bytes of a .npy file; file only names it in messages (may be null). */
    public static Tensor read(byte[] bytes, Path file) {
        if (bytes.length < 10) {
            throw new KerasFileException(file, "not a .npy file (" + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new KerasFileException(file, "not a .npy file (no \\x93NUMPY magic)");
            }
        }
        int major = bytes[6] & 0xff;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new KerasFileException(file, "truncated .npy header");
            }
            headerLen = b.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new KerasFileException(file, ".npy format version " + major + " is not supported (1, 2, 3 are)");
        }
        if (start + headerLen > bytes.length) {
            throw new KerasFileException(file, "truncated .npy header");
        }
        String header = new String(bytes, start, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new KerasFileException(file, "a .npy header without a plain 'descr' (structured dtypes are not "
                    + "supported), 'fortran_order' or 'shape': " + header.trim());
        }
        String descr = d.group(1);
        boolean fortran = f.group(1).equals("True");
        long[] shape = parseShape(file, s.group(1));
        long n;
        try {
            n = WeightArray.size(shape);
        } catch (ArithmeticException e) {
            throw new KerasFileException(file, "shape " + s.group(1) + " is too large");
        }
        if (descr.length() < 3) {
            throw new KerasFileException(file, "unsupported dtype '" + descr + "'");
        }
        char order = descr.charAt(0);
        char kind = descr.charAt(1);
        int width;
        try {
            width = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new KerasFileException(file, "unsupported dtype '" + descr + "'");
        }
        boolean supported = switch (kind) {
            case 'f' -> width == 2 || width == 4 || width == 8;
            case 'i', 'u' -> width == 1 || width == 2 || width == 4 || width == 8;
            case 'b' -> width == 1;
            default -> false;
        };
        if (!supported || "<>|=".indexOf(order) < 0) {
            throw new KerasFileException(file, "unsupported dtype '" + descr + "' (float16/32/64, int8-64, uint8-64 "
                    + "and bool are supported)");
        }
        long dataStart = start + headerLen;
        if (n > Integer.MAX_VALUE - 16 || dataStart + n * width > bytes.length) {
            throw new KerasFileException(file, "the data is truncated: shape " + WeightArray.shapeString(shape)
                    + " of " + descr + " needs " + n * width + " bytes, the file has " + (bytes.length - dataStart));
        }
        b.order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.position((int) dataStart);
        int[] perm = fortran ? fortranIndex(shape) : null;
        if (kind == 'f') {
            float[] v = new float[(int) n];
            for (int i = 0; i < n; i++) {
                float x = switch (width) {
                    case 2 -> TfjsModels.halfToFloat(b.getShort());
                    case 4 -> b.getFloat();
                    default -> (float) b.getDouble();
                };
                v[perm == null ? i : perm[i]] = x;
            }
            return Tensor.of(v, shape);
        }
        int[] v = new int[(int) n];
        for (int i = 0; i < n; i++) {
            long x = switch (width) {
                case 1 -> kind == 'u' || kind == 'b' ? b.get() & 0xff : b.get();
                case 2 -> kind == 'u' ? b.getShort() & 0xffff : b.getShort();
                case 4 -> kind == 'u' ? b.getInt() & 0xffffffffL : b.getInt();
                default -> b.getLong();
            };
            if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE || (kind == 'u' && width == 8 && x < 0)) {
                throw new KerasFileException(file, "value " + (kind == 'u' ? Long.toUnsignedString(x) : x)
                        + " at index " + i + " does not fit in int32");
            }
            v[perm == null ? i : perm[i]] = (int) x;
        }
        return Tensor.ofInts(v, shape);
    }

    /** Where the i-th value of Fortran-ordered data goes in C order. */
    private static int[] fortranIndex(long[] shape) {
        int n = (int) WeightArray.size(shape);
        int r = shape.length;
        long[] cStrides = WeightArray.strides(shape);
        int[] out = new int[n];
        long[] idx = new long[r];
        for (int i = 0; i < n; i++) {
            long c = 0;
            for (int k = 0; k < r; k++) {
                c += idx[k] * cStrides[k];
            }
            out[i] = (int) c;
            for (int k = 0; k < r; k++) {  // Fortran order: the first index varies fastest
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return out;
    }

    private static long[] parseShape(Path file, String s) {
        List<Long> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String t = part.trim();
            if (t.endsWith("L")) {
                t = t.substring(0, t.length() - 1);  // Python 2's longs
            }
            if (t.isEmpty()) {
                continue;
            }
            try {
                long v = Long.parseLong(t);
                if (v < 0) {
                    throw new NumberFormatException();
                }
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new KerasFileException(file, "bad shape (" + s + ")");
            }
        }
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i);
        }
        return out;
    }

    /** A float32 or int32 tensor as a version 1.0 .npy file. */
    public static void write(Path file, Tensor t) {
        try {
            Files.write(file, toBytes(t));
        } catch (IOException e) {
            throw new KerasFileException(file, "cannot write: " + e, e);
        }
    }

    public static byte[] toBytes(Tensor t) {
        long[] shape = t.shape();
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(i > 0 ? ", " : "").append(shape[i]);
        }
        sh.append(shape.length == 1 ? ",)" : ")");
        String descr = t.dtype() == DType.INT32 ? "<i4" : "<f4";
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': "
                + sh + ", }");
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header.append(" ".repeat(pad)).append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        int n = (int) t.size();
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + n * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        if (t.dtype() == DType.INT32) {
            for (int v : t.toIntArray()) {
                b.putInt(v);
            }
        } else {
            for (float v : t.toFloatArray()) {
                b.putFloat(v);
            }
        }
        return b.array();
    }
}
