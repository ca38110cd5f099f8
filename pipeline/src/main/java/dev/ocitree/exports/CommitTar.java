package dev.ocitree.exports;

import dev.ocitree.operators.tar.TarEntry;
import dev.ocitree.operators.tar.TarEntryType;
import dev.ocitree.operators.tar.TarMember;
import dev.ocitree.ostree.Checksum;
import dev.ocitree.ostree.Dirmeta;
import dev.ocitree.ostree.FileMeta;
import dev.ocitree.ostree.RepoMode;
import dev.ocitree.ostree.Xattrs;
import dev.ocitree.ostree.repo.OstreeRepository;
import dev.ocitree.ostree.repo.TreeEntry;
import java.util.TreeMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A commit's tree as tar members, in {@code ostree ls -R} order (each directory, then its files
 * sorted by name, then its subdirectories sorted), the root as {@code ./} and every other path
 * relative — the order and names of {@code flatpak build-bundle --oci}'s layer. Owners, permission
 * bits (setuid, setgid, sticky included) and xattrs are the repository's (none in
 * {@code bare-user-only}); every mtime is the commit's timestamp; files sharing an object are
 * written as separate regular files (OSTree has no hardlinks). Metadata is read on the repository's
 * threads, file content streams from {@link OstreeRepository#readFileContent} when its member is
 * written.
 */
final class CommitTar {

    private CommitTar() {
    }

    static Flux<TarMember> members(OstreeRepository repo, Checksum commit, long mtime) {
        boolean xattrs = repo.mode() != RepoMode.BARE_USER_ONLY;
        return repo.list(commit, "/", true).concatMap(e -> member(repo, e, mtime, xattrs), 4);
    }

    private static Mono<TarMember> member(OstreeRepository repo, TreeEntry e, long mtime, boolean withXattrs) {
        String path = e.path().equals("/") ? "." : e.path().substring(1);
        if (e.isDirectory()) {
            Mono<Xattrs> x = withXattrs ? repo.loadDirmeta(e.metaChecksum()).map(Dirmeta::xattrs) : Mono.just(Xattrs.empty());
            return x.map(xattrs -> TarMember.of(entry(path, TarEntryType.DIRECTORY, 0, e, null, mtime, xattrs)));
        }
        Mono<Xattrs> x = withXattrs ? repo.loadFileMeta(e.checksum()).map(FileMeta::xattrs) : Mono.just(Xattrs.empty());
        if (e.isSymlink()) {
            return x.map(xattrs -> TarMember.of(entry(path, TarEntryType.SYMLINK, 0, e, e.symlinkTarget(), mtime, xattrs)));
        }
        return x.map(xattrs -> new TarMember(entry(path, TarEntryType.REGULAR, e.size(), e, null, mtime, xattrs),
                e.size() == 0 ? Flux.empty() : repo.readFileContent(e.checksum())));
    }

    private static TarEntry entry(String path, TarEntryType type, long size, TreeEntry e, String link, long mtime,
            Xattrs xattrs) {
        TreeMap<String, byte[]> map = new TreeMap<>();
        xattrs.forEach(x -> map.put(x.name(), x.value()));
        return new TarEntry(path, type, size, e.mode() & 07777, Integer.toUnsignedLong(e.uid()),
                Integer.toUnsignedLong(e.gid()), "", "", mtime, link, 0, 0, map, 0);
    }
}
