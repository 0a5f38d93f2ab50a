package io.jkeras.bench;

import static org.bytedeco.dnnl.global.dnnl.*;

import io.jkeras.backend.cpu.CpuNative;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference the benchmarks compare against: oneDNN called directly through the org.bytedeco:dnnl preset,
 * not through jkeras's layers, ops or backend. Buffers are plain native addresses (jkeras tensors allocated in
 * setup, 64-byte aligned); nothing here allocates per call.
 */
final class RawOneDnn {
    static {
        // libjkeras loads libgomp/libdnnl from the preset jar first; the preset then finds the same files in the
        // JavaCPP cache, so jkeras and the reference share one oneDNN and one OpenMP thread pool.
        CpuNative.load();
        Loader.load(org.bytedeco.dnnl.global.dnnl.class);
    }

    private RawOneDnn() {
    }

    static void load() {
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException(what + " failed with oneDNN status " + status);
        }
    }

    /**
     * Row-major C(m x n) = op(A) op(B) with dnnl_sgemm (A is m x k, or k x m when transA; B is k x n, or n x k when
     * transB); returns the status so the caller can consume it.
     */
    static int sgemm(boolean transA, boolean transB, long m, long n, long k, FloatPointer a, FloatPointer b,
            FloatPointer c) {
        return dnnl_sgemm(transA ? (byte) 'T' : (byte) 'N', transB ? (byte) 'T' : (byte) 'N', m, n, k, 1f, a,
                transA ? m : k, b, transB ? k : n, 0f, c, n);
    }

    /** One CPU engine and stream for every primitive of the process. */
    static final class Engine {
        static final dnnl_engine ENGINE = new dnnl_engine();
        static final dnnl_stream STREAM = new dnnl_stream();

        static {
            check(dnnl_engine_create(ENGINE, dnnl_cpu, 0), "dnnl_engine_create");
            check(dnnl_stream_create(STREAM, ENGINE, dnnl_stream_default_flags), "dnnl_stream_create");
        }
    }

    /**
     * A oneDNN matmul primitive created once for fixed shapes and buffers: C(m x n) = op(A) op(B) [+ bias]
     * [then relu], with plain row-major user memory (transposes expressed as the "ba" format tag).
     */
    static final class Matmul implements AutoCloseable {
        private final dnnl_primitive_desc pd = new dnnl_primitive_desc();
        private final dnnl_primitive prim = new dnnl_primitive();
        private final dnnl_memory[] mems;
        private final dnnl_exec_arg_t args;
        private final int nargs;

        Matmul(long m, long n, long k, boolean transA, boolean transB, long a, long b, long bias, boolean relu,
                long c) {
            dnnl_engine eng = Engine.ENGINE;
            dnnl_memory_desc aMd = md(new long[] {m, k}, transA ? dnnl_ba : dnnl_ab);
            dnnl_memory_desc bMd = md(new long[] {k, n}, transB ? dnnl_ba : dnnl_ab);
            dnnl_memory_desc biasMd = bias != 0 ? md(new long[] {1, n}, dnnl_ab) : null;
            dnnl_memory_desc cMd = md(new long[] {m, n}, dnnl_ab);
            dnnl_primitive_attr attr = null;
            dnnl_post_ops po = null;
            if (relu) {
                attr = new dnnl_primitive_attr();
                po = new dnnl_post_ops();
                check(dnnl_primitive_attr_create(attr), "dnnl_primitive_attr_create");
                check(dnnl_post_ops_create(po), "dnnl_post_ops_create");
                check(dnnl_post_ops_append_eltwise(po, dnnl_eltwise_relu, 0f, 0f), "append_eltwise");
                check(dnnl_primitive_attr_set_post_ops(attr, po), "set_post_ops");
            }
            check(dnnl_matmul_primitive_desc_create(pd, eng, aMd, bMd, biasMd, cMd, attr),
                    "dnnl_matmul_primitive_desc_create");
            check(dnnl_primitive_create(prim, pd), "dnnl_primitive_create");
            nargs = bias != 0 ? 4 : 3;
            mems = new dnnl_memory[nargs];
            args = new dnnl_exec_arg_t(nargs);
            bind(0, DNNL_ARG_SRC, aMd, a, m * k);
            bind(1, DNNL_ARG_WEIGHTS, bMd, b, k * n);
            bind(2, DNNL_ARG_DST, cMd, c, m * n);
            if (bias != 0) {
                bind(3, DNNL_ARG_BIAS, biasMd, bias, n);
            }
            args.position(0);
            for (dnnl_memory_desc d : new dnnl_memory_desc[] {aMd, bMd, biasMd, cMd}) {
                if (d != null) {
                    dnnl_memory_desc_destroy(d);
                }
            }
            if (attr != null) {
                dnnl_post_ops_destroy(po);
                dnnl_primitive_attr_destroy(attr);
            }
        }

        private static dnnl_memory_desc md(long[] dims, int tag) {
            dnnl_memory_desc d = new dnnl_memory_desc();
            check(dnnl_memory_desc_create_with_tag(d, dims.length, dims, dnnl_f32, tag), "memory_desc_create");
            return d;
        }

        private void bind(int i, int arg, dnnl_memory_desc md, long address, long n) {
            mems[i] = new dnnl_memory();
            Pointer handle = Data.view(address, n);
            check(dnnl_memory_create(mems[i], md, Engine.ENGINE, handle), "dnnl_memory_create");
            args.position(i).arg(arg).memory(mems[i]);
        }

        /** Runs the primitive and waits for it; returns the status. */
        int execute() {
            int st = dnnl_primitive_execute(prim, Engine.STREAM, nargs, args);
            dnnl_stream_wait(Engine.STREAM);
            return st;
        }

        @Override
        public void close() {
            for (dnnl_memory mem : mems) {
                dnnl_memory_destroy(mem);
            }
            dnnl_primitive_destroy(prim);
            dnnl_primitive_desc_destroy(pd);
        }
    }

    /** A plain memory descriptor (caller destroys it with dnnl_memory_desc_destroy). */
    static dnnl_memory_desc md(long[] dims, int tag) {
        dnnl_memory_desc d = new dnnl_memory_desc();
        check(dnnl_memory_desc_create_with_tag(d, dims.length, dims, dnnl_f32, tag), "memory_desc_create");
        return d;
    }

    /**
     * A oneDNN primitive created once from its primitive descriptor (which it owns from then on), with each
     * argument bound to a fixed buffer; {@link #execute} runs it and waits.
     */
    static final class Prim implements AutoCloseable {
        private final dnnl_primitive_desc pd;
        private final dnnl_primitive prim = new dnnl_primitive();
        private final List<dnnl_memory> mems = new ArrayList<>();
        private final List<Integer> ids = new ArrayList<>();
        private dnnl_exec_arg_t args;

        Prim(dnnl_primitive_desc pd, String what) {
            this.pd = pd;
            check(dnnl_primitive_create(prim, pd), what + ": dnnl_primitive_create");
        }

        /** A memory descriptor the primitive chose (dnnl_query_weights_md, ...); owned by the primitive. */
        dnnl_memory_desc query(int what) {
            return dnnl_primitive_desc_query_md(pd, what, 0);
        }

        /** Binds argument {@code arg} (DNNL_ARG_...) to the memory at {@code address}, described by md. */
        Prim bind(int arg, dnnl_memory_desc md, long address) {
            dnnl_memory m = new dnnl_memory();
            check(dnnl_memory_create(m, md, Engine.ENGINE, Data.view(address, 1)), "dnnl_memory_create");
            mems.add(m);
            ids.add(arg);
            args = null;
            return this;
        }

        /** Runs the primitive and waits for it; returns the status. */
        int execute() {
            if (args == null) {
                args = new dnnl_exec_arg_t(ids.size());
                for (int i = 0; i < ids.size(); i++) {
                    args.position(i).arg(ids.get(i)).memory(mems.get(i));
                }
                args.position(0);
            }
            int st = dnnl_primitive_execute(prim, Engine.STREAM, ids.size(), args);
            dnnl_stream_wait(Engine.STREAM);
            return st;
        }

        @Override
        public void close() {
            for (dnnl_memory m : mems) {
                dnnl_memory_destroy(m);
            }
            dnnl_primitive_destroy(prim);
            dnnl_primitive_desc_destroy(pd);
        }
    }

    /** A oneDNN reorder from one layout to another, created, executed once and destroyed. */
    static void reorder(dnnl_memory_desc from, long fromAddress, dnnl_memory_desc to, long toAddress) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, Engine.ENGINE, to, Engine.ENGINE, null),
                "dnnl_reorder_primitive_desc_create");
        try (Prim r = new Prim(pd, "reorder")) {
            r.bind(DNNL_ARG_FROM, from, fromAddress).bind(DNNL_ARG_TO, to, toAddress);
            check(r.execute(), "reorder");
        }
    }
}
