package dev.pouch.server.directory;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Staff members, read fresh on every lookup so that a change takes effect on the next request. */
@Repository
public class StaffRepository {

    private static final RowMapper<Staff> MAPPER = (rs, i) -> {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Object r : (Object[]) rs.getArray("roles").getArray()) {
            roles.add(Role.valueOf((String) r));
        }
        return new Staff(rs.getLong("id"), OrgCode.of(rs.getString("organization")), rs.getString("staff_id"),
                rs.getString("display_name"), roles, Classification.valueOf(rs.getString("clearance")), rs.getBoolean("active"));
    };

    private final JdbcTemplate jdbc;

    public StaffRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Staff> find(OrgCode organization, String staffId) {
        return jdbc.query("SELECT * FROM staff WHERE organization = ? AND staff_id = ?", MAPPER, organization.value(), staffId)
                .stream().findFirst();
    }

    public List<Staff> ofOrganization(OrgCode organization) {
        return jdbc.query("SELECT * FROM staff WHERE organization = ? ORDER BY staff_id", MAPPER, organization.value());
    }

    /** Creates a staff member, or updates name, roles and clearance of an existing one. */
    public Staff save(OrgCode organization, String staffId, String displayName, Set<Role> roles, Classification clearance) {
        String[] names = roles.stream().map(Enum::name).sorted().toArray(String[]::new);
        jdbc.update(connection -> {
            var ps = connection.prepareStatement("""
                    INSERT INTO staff (organization, staff_id, display_name, roles, clearance) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (organization, staff_id) DO UPDATE SET display_name = EXCLUDED.display_name,
                        roles = EXCLUDED.roles, clearance = EXCLUDED.clearance, active = true""");
            ps.setString(1, organization.value());
            ps.setString(2, staffId);
            ps.setString(3, displayName);
            ps.setArray(4, connection.createArrayOf("text", names));
            ps.setString(5, clearance.name());
            return ps;
        });
        return find(organization, staffId).orElseThrow();
    }

    public void deactivate(OrgCode organization, String staffId) {
        jdbc.update("UPDATE staff SET active = false WHERE organization = ? AND staff_id = ?", organization.value(), staffId);
    }

}
