package dev.ocitree.ostree.repo;

import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.Dirtree;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.MutableTree;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code ostree commit --tree=dir=DIR} (OSTREE-FORMAT.md §5.3): uid, gid and mode from lstat of
 * every entry including the root; {@code user.*} xattrs sorted by name (the JDK exposes only the
 * user namespace), leaving out attributes with an empty value as ostree 2022.7 does (proved by
 * CommitInteropTest); regular files streamed into content objects, several at a time; devices, FIFOs
 * and sockets rejected. The repository canonicalises for bare-user-only. Directory listing and
 * lstat run on the repository's scheduler.
 */
final class DirectoryImport {

    private static final int CONCURRENCY = 8;

    private final OstreeRepository repo;
    private final Scheduler io;

    DirectoryImport(OstreeRepository repo, Scheduler io) {
        this.repo = repo;
        this.io = io;
    }

    /** One walked entry; {@code parent} is the relative path of its directory ("" for the root's children). */
    private record Entry(Path path, String relative, String parent, String name, int mode, int uid, int gid, long size) {
        int type() {
            return mode & FileMeta.S_IFMT;
        }
    }

    private record Written(Entry entry, Checksum checksum) {
    }

    Mono<Dirtree.Subdir> importRoot(Path dir) {
        return Mono.fromCallable(() -> walk(dir)).subscribeOn(io)
                .flatMapMany(entries -> Flux.fromIterable(entries).flatMapSequential(this::write, CONCURRENCY))
                .collectList()
                .flatMap(written -> {
                    Map<String, MutableTree> dirs = new HashMap<>();
                    MutableTree root = null;
                    for (Written w : written) {
                        Entry e = w.entry();
                        if (e.relative().isEmpty()) {
                            root = new MutableTree(w.checksum());
                            dirs.put("", root);
                        } else if (e.type() == FileMeta.S_IFDIR) {
                            dirs.put(e.relative(), dirs.get(e.parent()).putDir(e.name(), w.checksum()));
                        } else {
                            dirs.get(e.parent()).putFile(e.name(), w.checksum());
                        }
                    }
                    Checksum rootMeta = root.meta();
                    return repo.writeTree(root).map(t -> new Dirtree.Subdir(t, rootMeta));
                });
    }

    /** Walks the tree depth-first, parents before children; rejects unsupported file types. Blocking. */
    private List<Entry> walk(Path root) throws IOException {
        List<Entry> out = new ArrayList<>();
        Entry r = entry(root, "", "", "");
        if (r.type() != FileMeta.S_IFDIR) {
            throw new UnsupportedFileTypeException(repo.path(), root);
        }
        out.add(r);
        walk(r, out);
        return out;
    }

    private void walk(Entry dir, List<Entry> out) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir.path())) {
            children = s.toList();
        }
        for (Path p : children) {
            String name = p.getFileName().toString();
            Entry e = entry(p, dir.relative().isEmpty() ? name : dir.relative() + "/" + name, dir.relative(), name);
            int type = e.type();
            if (type != FileMeta.S_IFDIR && type != FileMeta.S_IFREG && type != FileMeta.S_IFLNK) {
                throw new UnsupportedFileTypeException(repo.path(), p);
            }
            out.add(e);
            if (type == FileMeta.S_IFDIR) {
                walk(e, out);
            }
        }
    }

    /** Stores one entry: a dirmeta for a directory, a content object otherwise. */
    private Mono<Written> write(Entry e) {
        Mono<Checksum> written;
        switch (e.type()) {
            case FileMeta.S_IFDIR:
                written = Mono.fromCallable(() -> xattrs(e.path())).subscribeOn(io)
                        .flatMap(x -> repo.writeDirmeta(new Dirmeta(e.uid(), e.gid(), e.mode(), x)));
                break;
            case FileMeta.S_IFLNK:
                written = Mono.fromCallable(() -> Files.readSymbolicLink(e.path()).toString()).subscribeOn(io)
                        .flatMap(target -> repo.writeFile(FileMeta.symlink(e.uid(), e.gid(), target, Xattrs.empty()),
                                new byte[0]));
                break;
            default:
                written = Mono.fromCallable(() -> xattrs(e.path())).subscribeOn(io)
                        .flatMap(x -> repo.writeFile(FileMeta.regular(e.uid(), e.gid(), e.mode() & 07777, x), e.size(),
                                FileChunks.read(e.path(), io)));
        }
        return written.map(c -> new Written(e, c));
    }

    private static Entry entry(Path p, String relative, String parent, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
        return new Entry(p, relative, parent, name, (Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
                (Long) a.get("size"));
    }

    private Xattrs xattrs(Path p) throws IOException {
        if (repo.mode() == RepoMode.BARE_USER_ONLY) {
            return Xattrs.empty();
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        if (view == null) {
            return Xattrs.empty();
        }
        List<String> names;
        try {
            names = view.list();
        } catch (UnsupportedOperationException | IOException e) {
            return Xattrs.empty();
        }
        Map<String, byte[]> map = new TreeMap<>();
        for (String n : names) {
            ByteBuffer buf = ByteBuffer.allocate(view.size(n));
            view.read(n, buf);
            buf.flip();
            byte[] v = new byte[buf.remaining()];
            buf.get(v);
            if (v.length > 0) {
                map.put("user." + n, v);
            }
        }
        return map.isEmpty() ? Xattrs.empty() : Xattrs.of(map);
    }
}
