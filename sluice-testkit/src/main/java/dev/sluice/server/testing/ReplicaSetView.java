package dev.sluice.server.testing;

import org.bson.types.ObjectId;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One immutable state of the simulated replica set: its config (members, roles, tags, setVersion) and who is
 * primary in which term. Every member answers hello from the same view, so their answers agree.
 *
 * @param primaryHost the primary's host, or null while there is none
 */
record ReplicaSetView(String setName, int setVersion, long term, List<Member> members, String primaryHost) {

    /** A member of the config. */
    record Member(String host, MemberRole role, Map<String, String> tags) {
        Member {
            tags = Map.copyOf(tags);
        }
    }

    ReplicaSetView {
        members = List.copyOf(members);
    }

    Member member(String host) {
        for (Member member : members) {
            if (member.host().equals(host)) {
                return member;
            }
        }
        return null;
    }

    MemberState state(String host) {
        Member member = member(host);
        if (member == null) {
            return MemberState.REMOVED;
        }
        if (member.role() == MemberRole.ARBITER) {
            return MemberState.ARBITER;
        }
        return host.equals(primaryHost) ? MemberState.PRIMARY : MemberState.SECONDARY;
    }

    List<String> hosts(MemberRole role) {
        List<String> out = new ArrayList<>();
        for (Member member : members) {
            if (member.role() == role) {
                out.add(member.host());
            }
        }
        return out;
    }

    /** mongod 6.0's electionId: {@code OID::fromTerm}, the largest timestamp then the term, so it grows with it. */
    ObjectId electionId() {
        return new ObjectId(ByteBuffer.allocate(12).putInt(Integer.MAX_VALUE).putLong(term).array());
    }

    ReplicaSetView withMembers(List<Member> newMembers) {
        return new ReplicaSetView(setName, setVersion + 1, term, newMembers, primaryHost);
    }

    ReplicaSetView withPrimary(String host) {
        return new ReplicaSetView(setName, setVersion, host == null ? term : term + 1, members, host);
    }
}
