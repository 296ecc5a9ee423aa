package io.github.jring.bench.engine;

import io.github.jring.nvme.pi.Prinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end protection for {@code async-pt}, with fio's option names ({@code io_uring_cmd}, fio 3.36 and later):
 * {@code --pi_act} (PRACT: the controller inserts or strips the protection information), {@code --pi_chk} (which
 * fields the controller checks: {@code GUARD}, {@code REFTAG}, {@code APPTAG}), {@code --apptag} and
 * {@code --apptag_mask}, and {@code --md_per_io_size} (the separate metadata buffer of each I/O, needed where metadata
 * moves: {@code pi_act=0} on a format with separate metadata). As fio does, each I/O's Reference Tag is its starting
 * LBA (its low 32 bits for the 16b Guard, 48 bits for the 64b Guard).
 *
 * <p>The command line's options travel in the run's configuration and in each job's {@link JobSpec#pi()}, which the
 * engine reads when it opens a job.
 *
 * @param mdPerIoSize bytes of separate metadata per I/O, 0 for none
 * @param piAct       PRACT
 * @param piChk       the PRCHK bits ({@link Prinfo#CHECK_GUARD} ...)
 * @param appTag      the Application Tag, 0 to FFFFh
 * @param appTagMask  its mask, 0 to FFFFh
 */
public record PiSpec(int mdPerIoSize, boolean piAct, int piChk, int appTag, int appTagMask) {

    /** No protection options: what a run without them uses. */
    public static final PiSpec NONE = new PiSpec(0, false, 0, 0, 0xFFFF);

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if one is out of range
     */
    public PiSpec {
        if (mdPerIoSize < 0) throw new IllegalArgumentException("md_per_io_size must not be negative: " + mdPerIoSize);
        if ((piChk & ~Prinfo.CHECK_ALL) != 0) throw new IllegalArgumentException("pi_chk bits: " + piChk);
        if (appTag < 0 || appTag > 0xFFFF) throw new IllegalArgumentException("apptag must be 0..0xffff: " + appTag);
        if (appTagMask < 0 || appTagMask > 0xFFFF) {
            throw new IllegalArgumentException("apptag_mask must be 0..0xffff: " + appTagMask);
        }
    }

    /**
     * Whether any protection option is set.
     *
     * @return {@code false} for {@link #NONE}'s settings
     */
    public boolean enabled() {
        return piAct || piChk != 0 || mdPerIoSize != 0;
    }

    /**
     * The commands' PRINFO.
     *
     * @return PRACT and the PRCHK bits
     */
    public int prinfo() {
        return (piAct ? Prinfo.PRACT : 0) | piChk;
    }

    /**
     * fio's spelling of the checks, for its command line and reports.
     *
     * @return for example {@code GUARD,REFTAG,APPTAG}, or empty
     */
    public String piChkName() {
        List<String> names = new ArrayList<>();
        if ((piChk & Prinfo.CHECK_GUARD) != 0) names.add("GUARD");
        if ((piChk & Prinfo.CHECK_REFERENCE_TAG) != 0) names.add("REFTAG");
        if ((piChk & Prinfo.CHECK_APPLICATION_TAG) != 0) names.add("APPTAG");
        return String.join(",", names);
    }

    /**
     * fio's options for these settings (io_uring_cmd, fio 3.36 and later).
     *
     * @return {@code --md_per_io_size=}, {@code --pi_act=}, {@code --pi_chk=}, {@code --apptag=}, {@code --apptag_mask=}
     */
    public List<String> fioArgs() {
        List<String> args = new ArrayList<>();
        if (mdPerIoSize > 0) args.add("--md_per_io_size=" + mdPerIoSize);
        args.add("--pi_act=" + (piAct ? 1 : 0));
        if (piChk != 0) args.add("--pi_chk=" + piChkName());
        args.add("--apptag=0x" + Integer.toHexString(appTag));
        args.add("--apptag_mask=0x" + Integer.toHexString(appTagMask));
        return args;
    }

    /**
     * Parses fio's {@code pi_chk}: a comma-separated list of {@code GUARD}, {@code REFTAG}, {@code APPTAG}.
     *
     * @param value the list (empty or null: none)
     * @return the PRCHK bits
     * @throws IllegalArgumentException for another word
     */
    public static int parsePiChk(String value) {
        int bits = 0;
        if (value == null) return 0;
        for (String word : value.split(",")) {
            switch (word.trim().toUpperCase(Locale.ROOT)) {
                case "" -> { }
                case "GUARD" -> bits |= Prinfo.CHECK_GUARD;
                case "REFTAG" -> bits |= Prinfo.CHECK_REFERENCE_TAG;
                case "APPTAG" -> bits |= Prinfo.CHECK_APPLICATION_TAG;
                default -> throw new IllegalArgumentException("pi_chk takes GUARD, REFTAG and APPTAG, comma-separated,"
                        + " not '" + word.trim() + "'");
            }
        }
        return bits;
    }
}
