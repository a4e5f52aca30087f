import baseConfig from "../eslint.config.mjs";

export default [
    ...baseConfig,
    {
        ignores: [
            "**/out-tsc"
        ]
    },
    {
        // Everything here is a test: the root rule keeping @chairbook/testing out of app code
        // does not apply (its ignore of tests/** is relative to the root, not this folder).
        files: ["**/*.ts"],
        rules: {
            "no-restricted-imports": "off"
        }
    }
];
